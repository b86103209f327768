import type { Phrase } from "./languages";

/** What share pages say, in every language. Names of apps stay as the apps spell them. */
export const pageWords = {
  title: { ru: "Прокси для связи", kk: "Байланысқа арналған прокси", en: "Proxies to stay connected" },
  intro: {
    ru: "Нажмите кнопку или отсканируйте QR-код камерой телефона. Самые надёжные способы стоят первыми: пробуйте сверху вниз.",
    kk: "Батырманы басыңыз немесе QR-кодты телефон камерасымен сканерлеңіз. Ең сенімді тәсілдер бірінші тұр: жоғарыдан төмен қарай қолданып көріңіз.",
    en: "Tap a button or scan a QR code with your phone's camera. The safest ways come first: try them from the top.",
  },
  trust: {
    ru: "Если сервер не работает, попробуйте следующий. Пересылайте эту страницу только тем, кому доверяете.",
    kk: "Сервер жұмыс істемесе, келесісін қолданып көріңіз. Бұл бетті тек сенетін адамдарыңызға жіберіңіз.",
    en: "If a server does not work, try the next one. Forward this page only to people you trust.",
  },
  server: { ru: "Сервер", kk: "Сервер", en: "Server" },
  encrypted: { ru: "зашифровано", kk: "шифрланған", en: "encrypted" },
  privateLink: { ru: "скрыто, пока ключ не у чужих", kk: "кілт бөтенге тимейінше жасырын", en: "hidden while the key stays private" },
  plaintext: { ru: "без шифрования", kk: "шифрланбаған", en: "not encrypted" },
  connectTelegram: { ru: "Подключить в Telegram", kk: "Telegram-ға қосу", en: "Connect in Telegram" },
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
 * Beside every Shadowsocks card: the key in its link is the node's only key, so whoever holds a
 * link (a censor who scraped one) decrypts traffic recorded on the way. Never "encrypted" alone.
 */
export const privateLinkCaveat: Phrase = {
  ru: "Защита держится на ключе ниже: любой, у кого он есть (и цензор, если ключ утечёт), может расшифровать записанный по пути трафик. Не публикуйте ключ; передавайте его только тем, кому доверяете.",
  kk: "Қорғаныс төмендегі кілтке байланысты: кілті бар кез келген адам (кілт тараса, цензор да) жолда жазылған трафикті шеше алады. Кілтті жарияламаңыз; тек сенетін адамдарға беріңіз.",
  en: "Its protection rests on the key below: anyone who has it (the censor too, once it leaks) can decrypt traffic recorded on the way. Never post the key; give it only to people you trust.",
};

/**
 * Beside every plaintext card, in the page's own words (the outputs' `warning` is untrusted input
 * and names kinds a page may not have).
 */
export const plaintextWarningWords: Phrase = {
  ru: "Без шифрования: пароль и все сайты, которые вы открываете, видны в сети цензора. Используйте, только если способы выше не работают.",
  kk: "Шифрланбаған: құпиясөз бен сіз ашатын әр сайт цензордың желісінде ашық көрінеді. Жоғарыдағы тәсілдер жұмыс істемегенде ғана қолданыңыз.",
  en: "Not encrypted: the password and every site you visit cross the censor's network in plain view. Use it only when the ways above do not work.",
};
