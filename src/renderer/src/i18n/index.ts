import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type Messages, nb } from './nb';

export const LANGUAGES = ['nb', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const LANGUAGE_STORAGE_KEY = 'journalkontor.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nb };
  }
}

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language chosen before on this machine (a preference, not personal data), else Bokmål. */
function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : 'nb';
  } catch {
    return 'nb';
  }
}

/**
 * Bokmål, the default and the fallback, comes with the app; another language's catalogue is fetched
 * when it is chosen, so the login page loads one language (issue 9 §5).
 */
async function catalogue(language: Language): Promise<Messages> {
  return language === 'nb' ? nb : (await import('./en')).en;
}

export async function initI18n(): Promise<typeof i18next> {
  const language = initialLanguage();
  await i18next.use(initReactI18next).init({
    resources: { nb: { translation: nb }, ...(language === 'nb' ? {} : { [language]: { translation: await catalogue(language) } }) },
    lng: language,
    fallbackLng: 'nb',
    supportedLngs: [...LANGUAGES],
    // React escapes what it renders; i18next escaping on top would show &amp; and the like.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  if (!i18next.hasResourceBundle(language, 'translation')) i18next.addResourceBundle(language, 'translation', await catalogue(language));
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this session.
  }
}

export { isLanguage };
