import { TextInput, type TextInputProps } from '@mantine/core';

/** A six-digit one-time code (TOTP or SMS): digits only, offered by the OS's one-time-code autofill. */
export function CodeInput(props: Omit<TextInputProps, 'onChange' | 'value'> & { value: string; onChange: (value: string) => void }) {
  const { onChange, ...rest } = props;
  return (
    <TextInput
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.2em' } }}
      {...rest}
      onChange={(event) => onChange(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
    />
  );
}
