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
  subscriptionFollows: {
    ru: "Импортируйте один раз, и приложение само следит за серверами, когда они меняются:",
    kk: "Бір рет импорттаңыз, сонда серверлер ауысқанда қолданба оларды өзі қадағалайды:",
    en: "Import once, and the app follows the servers when they change:",
  },
  subscriptionApps: {
    ru: "Ссылка подписки для Hiddify, v2rayNG, Happ, Streisand или v2rayN (вставьте её в приложение или отсканируйте QR-код):",
    kk: "Hiddify, v2rayNG, Happ, Streisand немесе v2rayN үшін жазылым сілтемесі (қолданбаға қойыңыз немесе QR-кодты сканерлеңіз):",
    en: "Subscription link for Hiddify, v2rayNG, Happ, Streisand or v2rayN (paste it into the app or scan the QR code):",
  },
  subscriptionMirrors: {
    ru: "Если эта ссылка не открывается, вставьте в приложение одну из этих:",
    kk: "Егер бұл сілтеме ашылмаса, қолданбаға мыналардың бірін қойыңыз:",
    en: "If this link does not open, paste one of these into the app:",
  },
  openInHiddify: { ru: "Добавить все серверы в Hiddify", kk: "Барлық серверді Hiddify-ға қосу", en: "Add every server to Hiddify" },
  openInV2rayng: { ru: "Добавить все серверы в v2rayNG", kk: "Барлық серверді v2rayNG-ге қосу", en: "Add every server to v2rayNG" },
  openInOutline: { ru: "Добавить все серверы в Outline", kk: "Барлық серверді Outline-ға қосу", en: "Add every server to Outline" },
  encrypted: { ru: "зашифровано", kk: "шифрланған", en: "encrypted" },
  privateLink: { ru: "скрыто, пока ключ не у чужих", kk: "кілт бөтенге тимейінше жасырын", en: "hidden while the key stays private" },
  plaintext: { ru: "без шифрования", kk: "шифрланбаған", en: "not encrypted" },
  // Button texts carry the server's number ({n}): no two buttons on a page read the same.
  openTelegram: { ru: "Открыть прокси Telegram (сервер {n})", kk: "Telegram проксиін ашу (сервер {n})", en: "Open Telegram proxy (server {n})" },
  openTelegramBackup: {
    ru: "Открыть запасной прокси Telegram без шифрования (сервер {n})",
    kk: "Шифрланбаған қосалқы Telegram проксиін ашу (сервер {n})",
    en: "Open backup Telegram proxy, not encrypted (server {n})",
  },
  blankPage: {
    ru: "Кнопка открыла пустую страницу? Нажмите эту ссылку:",
    kk: "Батырма бос бет ашты ма? Мына сілтемені басыңыз:",
    en: "The button opened a blank page? Tap this link instead:",
  },
  installOutlineFirst: {
    ru: "Сначала установите приложение Outline (Google Play или App Store), затем нажмите:",
    kk: "Алдымен Outline қолданбасын орнатыңыз (Google Play немесе App Store), содан кейін басыңыз:",
    en: "Install the Outline app first (Google Play or App Store), then tap:",
  },
  addToOutline: { ru: "Добавить сервер {n} в Outline", kk: "Outline-ға сервер {n} қосу", en: "Add server {n} to Outline" },
  orCopyKey: {
    ru: "Или скопируйте ключ и вставьте его в Outline (кнопка +):",
    kk: "Немесе кілтті көшіріп, Outline-ға қойыңыз (+ түймесі):",
    en: "Or copy the key and paste it into Outline (the + button):",
  },
  copyKey: { ru: "Скопировать ключ сервера {n}", kk: "Сервер {n} кілтін көшіру", en: "Copy the key of server {n}" },
  onComputer: { ru: "На компьютере (не на телефоне)", kk: "Компьютерде (телефонда емес)", en: "On a computer (not on a phone)" },
  onComputerIntro: {
    ru: "Этот способ работает только в браузере на компьютере. На телефоне используйте способы выше.",
    kk: "Бұл тәсіл тек компьютердегі браузерде жұмыс істейді. Телефонда жоғарыдағы тәсілдерді қолданыңыз.",
    en: "This works only in a browser on a computer. On a phone, use the ways above.",
  },
  openVlessApp: { ru: "Открыть сервер {n} в приложении VLESS", kk: "Сервер {n} VLESS қолданбасында ашу", en: "Open server {n} in a VLESS app" },
  vlessLink: {
    ru: "Ссылка для Hiddify, v2rayNG, Happ, Streisand или v2rayN (скопируйте целиком или отсканируйте QR-код в приложении). Нужна последняя версия приложения: старые версии не подключатся.",
    kk: "Hiddify, v2rayNG, Happ, Streisand немесе v2rayN үшін сілтеме (толық көшіріңіз немесе QR-кодты қолданбада сканерлеңіз). Қолданбаның соңғы нұсқасы керек: ескі нұсқалар қосылмайды.",
    en: "Link for Hiddify, v2rayNG, Happ, Streisand or v2rayN (copy all of it, or scan the QR code in the app). The app must be up to date: old versions cannot connect.",
  },
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
