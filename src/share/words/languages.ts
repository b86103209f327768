/** Languages of the people in the blackouts lifeline was made for; Kazakh in Cyrillic. */
export const languages = ["ru", "kk", "en"] as const;
export type Lang = (typeof languages)[number];

/** One phrase in every language. The Russian and Kazakh wording awaits a native speaker's review. */
export type Phrase = Readonly<Record<Lang, string>>;

export const languageNames: Phrase = { ru: "Русский", kk: "Қазақша", en: "English" };

export function isLang(value: string): value is Lang {
  return (languages as readonly string[]).includes(value);
}
