import type { Phrase } from "./languages";

/** Short steps per way of connecting, shown once per page for the kinds the page offers. */
export const telegramSteps: readonly Phrase[] = [
  {
    ru: "Нажмите кнопку Telegram (или отсканируйте её QR-код камерой).",
    kk: "Telegram батырмасын басыңыз (немесе оның QR-кодын камерамен сканерлеңіз).",
    en: "Tap the Telegram button (or scan its QR code with the camera).",
  },
  {
    ru: "Откроется Telegram и предложит прокси: нажмите «Подключить прокси».",
    kk: "Telegram ашылып, проксиді ұсынады: «Прокси қосу» (Connect proxy) түймесін басыңыз.",
    en: "Telegram opens and offers the proxy: tap “Connect proxy”.",
  },
  {
    ru: "Не подключается? Попробуйте следующий сервер. Сохранённые прокси: Настройки → Данные и память → Прокси.",
    kk: "Қосылмаса, келесі серверді қолданып көріңіз. Сақталған проксилер: Параметрлер → Деректер және жад → Прокси.",
    en: "No connection? Try the next server. Saved proxies: Settings → Data and Storage → Proxy.",
  },
];

/**
 * VLESS + REALITY: one app carries the whole device. Servers refuse clients older than the
 * 2026 releases, hence the update step first.
 */
export const vlessSteps: readonly Phrase[] = [
  {
    ru: "Установите или обновите до последней версии: Android — Hiddify или v2rayNG; iPhone — Hiddify, Happ или Streisand; Windows — v2rayN или Hiddify. Старые версии не подключатся.",
    kk: "Соңғы нұсқасын орнатыңыз немесе жаңартыңыз: Android — Hiddify немесе v2rayNG; iPhone — Hiddify, Happ немесе Streisand; Windows — v2rayN немесе Hiddify. Ескі нұсқалар қосылмайды.",
    en: "Install, or update to the latest version: Android — Hiddify or v2rayNG; iPhone — Hiddify, Happ or Streisand; Windows — v2rayN or Hiddify. Old versions cannot connect.",
  },
  {
    ru: "Скопируйте ссылку VLESS: всю строку, начинающуюся с vless://.",
    kk: "VLESS сілтемесін көшіріңіз: vless:// деп басталатын бүкіл жолды.",
    en: "Copy the VLESS link: the whole line starting with vless://.",
  },
  {
    ru: "Hiddify: «Новый профиль» (+) → «Добавить из буфера обмена». v2rayNG: + → «Импорт из буфера обмена». Happ и Streisand: + → вставить из буфера. v2rayN: «Серверы» → «Импорт ссылок из буфера обмена» (Ctrl+V). Или отсканируйте QR-код через + в приложении.",
    kk: "Hiddify: «Жаңа профиль» (+) → «Алмасу буферінен қосу». v2rayNG: + → «Алмасу буферінен импорттау». Happ пен Streisand: + → буферден қою. v2rayN: «Серверлер» → «Алмасу буферінен сілтемелерді импорттау» (Ctrl+V). Немесе қолданбадағы + арқылы QR-кодты сканерлеңіз.",
    en: "Hiddify: New Profile (+) → Add from clipboard. v2rayNG: + → Import config from clipboard. Happ and Streisand: + → paste from clipboard. v2rayN: Servers → Import share links from clipboard (Ctrl+V). Or scan the QR code through + in the app.",
  },
  {
    ru: "Нажмите кнопку подключения и разрешите приложению создать VPN. Не подключается? Обновите приложение или попробуйте следующий сервер.",
    kk: "Қосылу түймесін басып, қолданбаға VPN жасауға рұқсат беріңіз. Қосылмаса, қолданбаны жаңартыңыз немесе келесі серверді қолданып көріңіз.",
    en: "Tap connect and allow the app to set up a VPN. No connection? Update the app or try the next server.",
  },
];

export const outlineSteps: readonly Phrase[] = [
  {
    ru: "Установите приложение Outline (Google Play, App Store или файл от человека, которому доверяете).",
    kk: "Outline қолданбасын орнатыңыз (Google Play, App Store немесе сенімді адамнан алынған файл).",
    en: "Install the Outline app (Google Play, App Store, or a file from someone you trust).",
  },
  {
    ru: "Скопируйте ключ доступа: всю строку, начинающуюся с ss://.",
    kk: "Қол жеткізу кілтін көшіріңіз: ss:// деп басталатын бүкіл жолды.",
    en: "Copy the access key: the whole line starting with ss://.",
  },
  {
    ru: "Откройте Outline, нажмите +, вставьте ключ и нажмите «Подключить».",
    kk: "Outline-ды ашып, + түймесін басыңыз, кілтті қойып, «Қосылу» түймесін басыңыз.",
    en: "Open Outline, tap +, paste the key and tap Connect.",
  },
];

/**
 * The HTTPS proxy (TLS to the proxy): no settings dialog takes one, so Firefox reads a PAC file
 * and Chrome a start-up flag; both ask for the user and password themselves.
 */
export const httpsSteps: readonly Phrase[] = [
  {
    ru: "Firefox (Windows, macOS, Linux): сохраните текст PAC выше в файл proxy.pac. Настройки → Основные → Параметры сети → Настроить… → URL автоматической настройки прокси: путь к файлу, например file:///C:/Users/Имя/Downloads/proxy.pac → OK. Firefox спросит пользователя и пароль.",
    kk: "Firefox (Windows, macOS, Linux): жоғарыдағы PAC мәтінін proxy.pac файлына сақтаңыз. Баптаулар → Негізгі → Желі параметрлері → Баптау… → Проксиді автоматты баптау URL-і: файлдың жолы, мысалы file:///C:/Users/Аты/Downloads/proxy.pac → OK. Firefox пайдаланушы мен құпиясөзді сұрайды.",
    en: "Firefox (Windows, macOS, Linux): save the PAC text above as a file proxy.pac. Settings → General → Network Settings → Settings… → Automatic proxy configuration URL: the file's path, e.g. file:///C:/Users/Name/Downloads/proxy.pac → OK. Firefox asks for the user and password.",
  },
  {
    ru: "Chrome на компьютере: закройте Chrome и запустите его с параметром --proxy-server=https://АДРЕС:ПОРТ (адрес и порт выше). Windows: ярлык Chrome → Свойства → в конце поля «Объект» добавьте пробел и этот параметр. macOS: в Терминале open -na \"Google Chrome\" --args --proxy-server=https://АДРЕС:ПОРТ. Chrome спросит пользователя и пароль.",
    kk: "Компьютердегі Chrome: Chrome-ды жауып, оны --proxy-server=https://МЕКЕНЖАЙ:ПОРТ параметрімен іске қосыңыз (мекенжай мен порт жоғарыда). Windows: Chrome белгішесі → Сипаттар → «Нысан» өрісінің соңына бос орын мен осы параметрді қосыңыз. macOS: Терминалда open -na \"Google Chrome\" --args --proxy-server=https://МЕКЕНЖАЙ:ПОРТ. Chrome пайдаланушы мен құпиясөзді сұрайды.",
    en: "Chrome on a computer: close Chrome and start it with --proxy-server=https://HOST:PORT (the host and port above). Windows: Chrome shortcut → Properties → at the end of Target add a space and that option. macOS: in Terminal, open -na \"Google Chrome\" --args --proxy-server=https://HOST:PORT. Chrome asks for the user and password.",
  },
  {
    ru: "Не работает на телефонах и в Safari: настройки прокси Android и iPhone, «Защищённый веб-прокси» macOS и настройки прокси Windows говорят с прокси без шифрования. На телефоне используйте способы выше.",
    kk: "Телефондарда және Safari-де жұмыс істемейді: Android пен iPhone прокси баптаулары, macOS-тың «Қорғалған веб-прокси» және Windows прокси баптаулары проксимен шифрсыз сөйлеседі. Телефонда жоғарыдағы тәсілдерді қолданыңыз.",
    en: "Not on phones or in Safari: Android's and iPhone's proxy settings, macOS's “Secure web proxy” and Windows' proxy settings all speak to a proxy unencrypted. On a phone, use the ways above.",
  },
];

/** Where a browser's HTTP proxy goes, per platform: the proxy asks for user and password itself. */
export const browserSteps: readonly Phrase[] = [
  {
    ru: "Android (только Wi-Fi): Настройки → Wi-Fi → удерживайте сеть → Изменить → Дополнительно → Прокси: Вручную; введите адрес и порт. Пользователя и пароль спросит браузер.",
    kk: "Android (тек Wi-Fi): Параметрлер → Wi-Fi → желіні басып тұрыңыз → Өзгерту → Қосымша → Прокси: Қолмен; мекенжай мен портты енгізіңіз. Пайдаланушы мен құпиясөзді браузер сұрайды.",
    en: "Android (Wi-Fi only): Settings → Wi-Fi → hold the network → Modify → Advanced → Proxy: Manual; type the host and port. The browser asks for the user and password.",
  },
  {
    ru: "iPhone (только Wi-Fi): Настройки → Wi-Fi → (i) рядом с сетью → Настройка прокси → Вручную: адрес, порт, включите «Аутентификация», пользователь и пароль.",
    kk: "iPhone (тек Wi-Fi): Параметрлер → Wi-Fi → желі жанындағы (i) → Прокси баптау → Қолмен: мекенжай, порт, «Аутентификацияны» қосып, пайдаланушы мен құпиясөз.",
    en: "iPhone (Wi-Fi only): Settings → Wi-Fi → (i) next to the network → Configure Proxy → Manual: host, port, turn on Authentication, user and password.",
  },
  {
    ru: "Windows: Параметры → Сеть и Интернет → Прокси → Настройка прокси вручную → Настроить: адрес и порт → Сохранить. Chrome и Edge спросят пользователя и пароль.",
    kk: "Windows: Параметрлер → Желі және Интернет → Прокси → Проксиді қолмен баптау → Баптау: мекенжай мен порт → Сақтау. Chrome мен Edge пайдаланушы мен құпиясөзді сұрайды.",
    en: "Windows: Settings → Network & Internet → Proxy → Manual proxy setup → Set up: host and port → Save. Chrome and Edge ask for the user and password.",
  },
  {
    ru: "Firefox: Настройки → Основные → Параметры сети → Настроить… → Ручная настройка прокси: HTTP-прокси (адрес и порт), отметьте «Также использовать этот прокси для HTTPS» → OK. Firefox спросит пользователя и пароль.",
    kk: "Firefox: Баптаулар → Негізгі → Желі параметрлері → Баптау… → Проксиді қолмен баптау: HTTP-прокси (мекенжай мен порт), «Бұл проксиді HTTPS үшін де қолдану» белгісін қойыңыз → OK. Firefox пайдаланушы мен құпиясөзді сұрайды.",
    en: "Firefox: Settings → General → Network Settings → Settings… → Manual proxy configuration: HTTP Proxy (host and port), tick “Also use this proxy for HTTPS” → OK. Firefox asks for the user and password.",
  },
];
