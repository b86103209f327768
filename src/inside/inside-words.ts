import type { Phrase } from "../share/words/languages";

/** What `lifeline inside` prints. The Russian and Kazakh wording awaits a native speaker's review. */
export const insideWords = {
  server: { ru: "Сервер", kk: "Сервер", en: "Server" },
  address: { ru: "Адрес", kk: "Мекенжай", en: "Address" },
  relay: { ru: "Тип", kk: "Түрі", en: "Relay" },
  status: { ru: "Состояние", kk: "Күйі", en: "Status" },
  time: { ru: "Время", kk: "Уақыт", en: "Time" },
  ok: { ru: "работает", kk: "жұмыс істейді", en: "works" },
  "no-connection": { ru: "нет соединения", kk: "қосылмады", en: "no connection" },
  "handshake-failed": { ru: "соединение сорвано", kk: "байланыс үзілді", en: "handshake failed" },
  summary: { ru: "Работают {ok} из {total} серверов.", kk: "{total} сервердің {ok} жұмыс істейді.", en: "{ok} of {total} servers work." },
  codeIntro: {
    ru: "Код отчёта. Перешлите его организатору сами, если хотите: в нём нет ссылок, паролей и вашего адреса.",
    kk: "Есеп коды. Қаласаңыз, оны ұйымдастырушыға өзіңіз жіберіңіз: онда сілтеме, құпиясөз және сіздің мекенжайыңыз жоқ.",
    en: "Report code. Send it to the organizer yourself if you wish: it holds no link, no password and not your address.",
  },
  checking: { ru: "Проверка", kk: "Тексеру", en: "Checking" },
  noLinks: {
    ru: "в файле нет ссылок на серверы (tg://, https://t.me/proxy, ss://, vless://, socks5://, http(s)://user:pass@host:port)",
    kk: "файлда серверге сілтеме жоқ (tg://, https://t.me/proxy, ss://, vless://, socks5://, http(s)://user:pass@host:port)",
    en: "the file holds no server links (tg://, https://t.me/proxy, ss://, vless://, socks5://, http(s)://user:pass@host:port)",
  },
} satisfies Record<string, Phrase>;
