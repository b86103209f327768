import type { Phrase } from "./languages";

/** What share pages say, in every language. Names of apps stay as the apps spell them. */
export const pageWords = {
  title: { ru: "Прокси для связи", kk: "Байланысқа арналған прокси", en: "Proxies to stay connected" },
  intro: {
    ru: "Нажмите кнопку или отсканируйте QR-код камерой телефона. Сначала пробуйте зашифрованные способы: Telegram, Outline и HTTPS-прокси для браузера на компьютере.",
    kk: "Батырманы басыңыз немесе QR-кодты телефон камерасымен сканерлеңіз. Алдымен шифрланған тәсілдерді қолданып көріңіз: Telegram, Outline және компьютердегі браузерге арналған HTTPS-прокси.",
    en: "Tap a button or scan a QR code with your phone's camera. Try the encrypted ways first: Telegram, Outline, and the HTTPS proxy for a browser on a computer.",
  },
  trust: {
    ru: "Если сервер не работает, попробуйте следующий. Пересылайте эту страницу только тем, кому доверяете.",
    kk: "Сервер жұмыс істемесе, келесісін қолданып көріңіз. Бұл бетті тек сенетін адамдарыңызға жіберіңіз.",
    en: "If a server does not work, try the next one. Forward this page only to people you trust.",
  },
  server: { ru: "Сервер", kk: "Сервер", en: "Server" },
  encrypted: { ru: "зашифровано", kk: "шифрланған", en: "encrypted" },
  plaintext: { ru: "без шифрования", kk: "шифрланбаған", en: "not encrypted" },
  connectTelegram: { ru: "Подключить в Telegram", kk: "Telegram-ға қосу", en: "Connect in Telegram" },
  openVlessApp: { ru: "Открыть в приложении VLESS", kk: "VLESS қолданбасында ашу", en: "Open in a VLESS app" },
  vlessLink: {
    ru: "Ссылка для Hiddify, v2rayNG, Happ, Streisand или v2rayN (скопируйте целиком или отсканируйте QR-код в приложении). Нужна последняя версия приложения: старые версии не подключатся.",
    kk: "Hiddify, v2rayNG, Happ, Streisand немесе v2rayN үшін сілтеме (толық көшіріңіз немесе QR-кодты қолданбада сканерлеңіз). Қолданбаның соңғы нұсқасы керек: ескі нұсқалар қосылмайды.",
    en: "Link for Hiddify, v2rayNG, Happ, Streisand or v2rayN (copy all of it, or scan the QR code in the app). The app must be up to date: old versions cannot connect.",
  },
  orInApp: { ru: "Или прямо в приложении:", kk: "Немесе қолданбаның өзінде:", en: "Or straight in the app:" },
  openOutline: { ru: "Открыть в Outline", kk: "Outline-да ашу", en: "Open in Outline" },
  accessKey: { ru: "Ключ доступа (скопируйте целиком):", kk: "Қол жеткізу кілті (толық көшіріңіз):", en: "Access key (copy all of it):" },
  browser: { ru: "Браузер (HTTP-прокси)", kk: "Браузер (HTTP-прокси)", en: "Browser (HTTP proxy)" },
  browserEncrypted: { ru: "Браузер на компьютере (HTTPS-прокси)", kk: "Компьютердегі браузер (HTTPS-прокси)", en: "Browser on a computer (HTTPS proxy)" },
  pacFile: {
    ru: "Файл PAC для Firefox (сохраните этот текст как proxy.pac):",
    kk: "Firefox үшін PAC файлы (бұл мәтінді proxy.pac ретінде сақтаңыз):",
    en: "PAC file for Firefox (save this text as proxy.pac):",
  },
  host: { ru: "Адрес", kk: "Мекенжай", en: "Host" },
  port: { ru: "Порт", kk: "Порт", en: "Port" },
  user: { ru: "Пользователь", kk: "Пайдаланушы", en: "User" },
  password: { ru: "Пароль", kk: "Құпиясөз", en: "Password" },
  noQrForBrowser: {
    ru: "Эти данные вводят в настройках (шаги ниже), поэтому QR-кода нет.",
    kk: "Бұл деректер баптауларға енгізіледі (қадамдар төменде), сондықтан QR-код жоқ.",
    en: "These are typed into settings (steps below), so there is no QR code.",
  },
  howTo: { ru: "Как подключиться", kk: "Қалай қосылуға болады", en: "How to connect" },
} satisfies Record<string, Phrase>;

/**
 * The outputs' plaintext warning (`plaintextWarning` in src/links/node-links.ts) in Russian and
 * Kazakh; English pages show the outputs' own text.
 */
export const plaintextWarningWords: Omit<Phrase, "en"> = {
  ru: "Без шифрования: пароль и все сайты, которые вы открываете, видны в сети цензора. Используйте, только если Telegram (MTProto), Outline (Shadowsocks) и HTTPS-прокси не работают.",
  kk: "Шифрланбаған: құпиясөз бен сіз ашатын әр сайт цензордың желісінде ашық көрінеді. Telegram (MTProto), Outline (Shadowsocks) және HTTPS-прокси жұмыс істемегенде ғана қолданыңыз.",
};
