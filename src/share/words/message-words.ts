import type { Phrase } from "./languages";

/** What Telegram posts and request answers say (plain text, one language each). */
export const messageWords = {
  postTitle: {
    ru: "Прокси для связи. Самые надёжные стоят первыми: пробуйте сверху вниз.",
    kk: "Байланысқа арналған прокси. Ең сенімділері бірінші тұр: жоғарыдан төмен қарай қолданып көріңіз.",
    en: "Proxies to stay connected. The safest come first: try them from the top.",
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
  telegram: {
    ru: "Telegram (нажмите ссылку, затем «Подключить прокси»)",
    kk: "Telegram (сілтемені басып, «Прокси қосу» түймесін басыңыз)",
    en: "Telegram (tap the link, then “Connect proxy”)",
  },
  privateLink: {
    ru: "Скрыто, только пока ключ не у чужих: у кого ключ, тот может расшифровать записанный трафик. Не публикуйте его:",
    kk: "Кілт бөтенге тимейінше ғана жасырын: кілті бар адам жазылған трафикті шеше алады. Оны жарияламаңыз:",
    en: "Hidden only while the key stays private: whoever has it can decrypt recorded traffic. Never post it:",
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
    ru: "Только браузер на компьютере, HTTPS-прокси (нужна настройка, спросите отправителя): адрес {host}, порт {port}, пользователь {user}, пароль {password}",
    kk: "Тек компьютердегі браузер, HTTPS-прокси (баптау керек, жіберушіден сұраңыз): мекенжай {host}, порт {port}, пайдаланушы {user}, құпиясөз {password}",
    en: "Browser on a computer only, HTTPS proxy (needs a setup step: ask the sender): host {host}, port {port}, user {user}, password {password}",
  },
  trust: {
    ru: "Если сервер не работает, попробуйте следующий.",
    kk: "Сервер жұмыс істемесе, келесісін қолданып көріңіз.",
    en: "If a server does not work, try the next one.",
  },
} satisfies Record<string, Phrase>;
