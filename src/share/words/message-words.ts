import type { Phrase } from "./languages";

/** What Telegram posts and request answers say (plain text, one language each). */
export const messageWords = {
  postTitle: {
    ru: "Прокси для Telegram и интернета. Нажмите ссылку Telegram, затем «Подключить прокси». Сначала пробуйте зашифрованные.",
    kk: "Telegram мен интернетке арналған прокси. Telegram сілтемесін басып, «Прокси қосу» түймесін басыңыз. Алдымен шифрланғандарын қолданып көріңіз.",
    en: "Proxies for Telegram and the web. Tap a Telegram link, then “Connect proxy”. Try the encrypted ones first.",
  },
  answerTitle: {
    ru: "Ваши прокси на эту неделю. Не публикуйте их: опубликованные прокси быстро блокируют.",
    kk: "Осы аптаға арналған прокси. Оларды жарияламаңыз: жарияланған прокси тез бұғатталады.",
    en: "Your proxies for this week. Do not post them publicly: posted proxies get blocked fast.",
  },
  vless: {
    ru: "VLESS для всего телефона или компьютера (скопируйте ссылку в Hiddify, v2rayNG, Happ, Streisand или v2rayN; обновите приложение до последней версии)",
    kk: "Бүкіл телефонға немесе компьютерге VLESS (сілтемені Hiddify, v2rayNG, Happ, Streisand немесе v2rayN қолданбасына көшіріңіз; қолданбаны соңғы нұсқаға жаңартыңыз)",
    en: "VLESS for the whole phone or computer (copy the link into Hiddify, v2rayNG, Happ, Streisand or v2rayN; update the app to its latest version)",
  },
  outline: {
    ru: "Outline (скопируйте ключ в приложение Outline)",
    kk: "Outline (кілтті Outline қолданбасына көшіріңіз)",
    en: "Outline (copy the key into the Outline app)",
  },
  plaintext: {
    ru: "Без шифрования, только если остальное не работает:",
    kk: "Шифрланбаған, басқасы жұмыс істемесе ғана:",
    en: "Not encrypted, only if nothing else works:",
  },
  browser: {
    ru: "Браузер, HTTP-прокси: адрес {host}, порт {port}, пользователь {user}, пароль {password}",
    kk: "Браузер, HTTP-прокси: мекенжай {host}, порт {port}, пайдаланушы {user}, құпиясөз {password}",
    en: "Browser, HTTP proxy: host {host}, port {port}, user {user}, password {password}",
  },
  browserEncrypted: {
    ru: "Браузер на компьютере, HTTPS-прокси (Firefox через файл PAC, Chrome с --proxy-server=https://{host}:{port}): адрес {host}, порт {port}, пользователь {user}, пароль {password}",
    kk: "Компьютердегі браузер, HTTPS-прокси (Firefox PAC файлы арқылы, Chrome --proxy-server=https://{host}:{port} арқылы): мекенжай {host}, порт {port}, пайдаланушы {user}, құпиясөз {password}",
    en: "Browser on a computer, HTTPS proxy (Firefox through a PAC file, Chrome with --proxy-server=https://{host}:{port}): host {host}, port {port}, user {user}, password {password}",
  },
  trust: {
    ru: "Если сервер не работает, попробуйте следующий.",
    kk: "Сервер жұмыс істемесе, келесісін қолданып көріңіз.",
    en: "If a server does not work, try the next one.",
  },
} satisfies Record<string, Phrase>;
