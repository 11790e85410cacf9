import { Box, Code, Group, Image, Skeleton, Stack, Text } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The secret in groups of four, as authenticator apps show and accept it. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * AUTH-3: the QR code to scan, and the same secret as text for typing in by hand. The image is a
 * data: URL made here (the CSP allows data: images and nothing remote): the secret never leaves
 * this window for a QR service.
 */
export function TotpEnrolment({ totpUri, totpSecret }: { totpUri: string; totpSecret: string }) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<{ uri: string; dataUrl: string } | null>(null);

  useEffect(() => {
    let isCurrent = true;
    QRCode.toDataURL(totpUri, { errorCorrectionLevel: 'M', margin: 2, width: 220 })
      .then((dataUrl) => {
        if (isCurrent) setQr({ uri: totpUri, dataUrl });
      })
      .catch(() => {
        // The secret as text below still works; the image is a convenience.
      });
    return () => {
      isCurrent = false;
    };
  }, [totpUri]);

  return (
    <Stack gap="xs">
      <Text size="sm">{t('auth.enrol.intro')}</Text>
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Box w={220} h={220}>
          {qr?.uri === totpUri ? (
            <Image src={qr.dataUrl} alt={t('auth.enrol.qrAlt')} w={220} h={220} data-testid="totp-qr" />
          ) : (
            <Skeleton w={220} h={220} />
          )}
        </Box>
        <Stack gap={4} maw={320}>
          <Text size="sm" fw={500} id="totp-secret-label">
            {t('auth.enrol.secretLabel')}
          </Text>
          <Code block fz="md" data-testid="totp-secret" aria-labelledby="totp-secret-label" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {groupSecret(totpSecret)}
          </Code>
        </Stack>
      </Group>
    </Stack>
  );
}
