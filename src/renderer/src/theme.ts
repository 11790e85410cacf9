import { Badge, Button, createTheme, type CSSVariablesResolver, DEFAULT_THEME, type MantineColorsTuple, type MantineThemeOverride, mergeThemeOverrides, Modal, Notification } from '@mantine/core';

/**
 * Mantine's palette with its two darkest shades darker, for the colours whose defaults are too
 * light for text (PLAT-11, WCAG 2.1 AA 1.4.3: 4.5:1). With shade 8 as the primary shade, white on
 * a filled button or badge, shade 8 as text or a link on white, and a light badge's or alert's
 * shade-9 text on its shade-1 background all reach at least 4.7:1. The light shades, and so the
 * look, stay Mantine's.
 */
function withDarkerText(name: 'teal' | 'green' | 'cyan' | 'lime' | 'yellow' | 'orange' | 'red' | 'blue', shade8: string, shade9: string): MantineColorsTuple {
  const palette = DEFAULT_THEME.colors[name];
  if (!palette) throw new Error(`Mantine has no colour ${name}`);
  const [c0, c1, c2, c3, c4, c5, c6, c7] = palette;
  return [c0, c1, c2, c3, c4, c5, c6, c7, shade8, shade9];
}

export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  colors: {
    teal: withDarkerText('teal', '#077855', '#066649'),
    green: withDarkerText('green', '#247834', '#20662e'),
    cyan: withDarkerText('cyan', '#0a7284', '#096171'),
    lime: withDarkerText('lime', '#49790b', '#3f6609'),
    yellow: withDarkerText('yellow', '#9e5c00', '#8c4900'),
    orange: withDarkerText('orange', '#b04409', '#9c340b'),
    red: withDarkerText('red', '#c12a2a', '#a52222'),
    blue: withDarkerText('blue', '#1767b1', '#155795'),
  },
  components: {
    // A badge in a narrow table cell keeps its whole word instead of shrinking to "ADMINI…".
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content' } } }),
    // Nor does a button beside a long heading or text in a row shrink until its label is cut off.
    Button: Button.extend({ styles: { root: { flexShrink: 0 } } }),
  },
});

/**
 * Secondary ("dimmed") text and error messages in shades that read at 4.5:1 or more on white and on
 * the light backgrounds of alerts and cards (Mantine's defaults, gray-6 and red-6, are about 3.3:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});

/**
 * The theme with the words Mantine's own controls need, in the current language: a notification's
 * close button (the new-device notice, say) has no text of its own, so it gets a name (PLAT-11); so
 * does every dialog's close button (a modal that names its own keeps it).
 */
export function localizedTheme(closeLabel: string): MantineThemeOverride {
  return mergeThemeOverrides(
    theme,
    createTheme({
      components: {
        Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
        Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
      },
    }),
  );
}
