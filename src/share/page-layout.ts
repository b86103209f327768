import { createHash } from "node:crypto";
import type { FleetNode } from "../fleet-input/types";
import { escapeHtml, phrase } from "./html";
import { languageNames, languages, type Lang } from "./words/languages";
import { pageWords as w } from "./words/page-words";
import { browserSteps, httpsSteps, outlineSteps, telegramSteps, vlessSteps } from "./words/steps-words";

/**
 * Languages switch without script: empty anchors #ru, #kk, #en sit before <main>, and
 * `#kk:target ~ main .kk` shows Kazakh once the nav link to #kk is followed. Only the chosen
 * default language shows without a target. Works in browsers from before :has() existed.
 */
function languageStyle(defaultLang: Lang): string {
  const others = languages.filter((l) => l !== defaultLang);
  return (
    `${others.map((l) => `.${l}`).join(",")}{display:none}` +
    `${others.map((l) => `#${l}:target~main .${l}`).join(",")}{display:inline}` +
    `${others.map((l) => `#${l}:target~main .${defaultLang}`).join(",")}{display:none}`
  );
}

const baseStyle =
  "body{font:16px/1.45 sans-serif;margin:0;color:#111;background:#fff}" +
  // Long paths in the steps (file:///C:/Users/…) would widen a phone's page and zoom it out.
  "main{max-width:40em;margin:auto;padding:10px;overflow-wrap:anywhere}" +
  "nav a{margin-right:.8em}h1{font-size:1.35em}h2{font-size:1.2em;margin:.3em 0}h3{font-size:1.05em;margin:.2em 0}" +
  ".node{border-top:3px solid #333;margin:1.2em 0;padding-top:.3em}" +
  ".relay{margin:.8em 0;padding:.5em;border:1px solid #bbb;border-radius:6px}.pt{background:#fff6e0}.pl{background:#f3f6ff}" +
  ".warn{color:#7a3000;font-weight:bold}small{font-weight:normal;color:#555}" +
  ".btn{display:block;text-align:center;padding:.7em;background:#1565c0;color:#fff;text-decoration:none;border-radius:6px;font-weight:bold}" +
  ".qr{display:block;width:100%;max-width:280px;margin:.5em auto}figure{margin:0}" +
  "code{word-break:break-all;font-size:.85em}th{text-align:left;padding-right:.6em}.meta{color:#444}" +
  "textarea{box-sizing:border-box;width:100%;font:.8em monospace;word-break:break-all}" +
  ".copy{display:block;width:100%;padding:.6em;margin:.3em 0;font:inherit;font-weight:bold;border:2px solid #1565c0;border-radius:6px;background:#fff;color:#1565c0}" +
  '.copied::after{content:" \\2713"}h2.computer{border-top:3px solid #333;padding-top:.5em;margin-top:1.5em}';

/**
 * The page's one script: a copy button copies its read-only field (the clipboard API, or the
 * older execCommand where that is refused) and marks itself done. It reads nothing else, fetches
 * nothing, and the page works without it: the field can still be selected and copied by hand.
 */
const copyScript =
  'document.addEventListener("click",function(e){var b=e.target.closest&&e.target.closest("button[data-copy]");if(!b)return;' +
  'var f=document.getElementById(b.getAttribute("data-copy"));if(!f)return;' +
  'var done=function(){b.className="copy copied"};' +
  'var old=function(){f.focus();f.select();f.setSelectionRange(0,f.value.length);try{if(document.execCommand("copy"))done()}catch(x){}};' +
  'if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(f.value).then(done,old);else old()});';

// No fetches, no referrer, and no script but the one above (by its hash): even text injected by a
// hostile name could run and load nothing.
const policy = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash("sha256").update(copyScript).digest("base64")}'`;

/** Which step lists a page needs: only the ways its nodes offer. */
function howToConnect(nodes: readonly FleetNode[]): string {
  const kinds = new Set(nodes.flatMap((n) => n.relays.map((r) => r.kind)));
  const list = (steps: readonly (typeof telegramSteps)[number][], tag: "ol" | "ul") =>
    `<${tag}>${steps.map((s) => `<li>${phrase(s)}</li>`).join("")}</${tag}>`;
  return (
    `<h2>${phrase(w.howTo)}</h2>` +
    (kinds.has("vless") ? `<h3>VLESS</h3>${list(vlessSteps, "ol")}` : "") +
    (kinds.has("mtproto") || kinds.has("socks5") ? `<h3>Telegram</h3>${list(telegramSteps, "ol")}` : "") +
    (kinds.has("shadowsocks") ? `<h3>Outline</h3>${list(outlineSteps, "ol")}` : "") +
    // The phone ways first, as on the cards; the computer-only HTTPS proxy last.
    (kinds.has("http") ? `<h3>${phrase(w.browser)}</h3>${list(browserSteps, "ul")}` : "") +
    (kinds.has("https") ? `<h3>${phrase(w.browserEncrypted)}</h3>${list(httpsSteps, "ul")}` : "")
  );
}

export interface PageParts {
  defaultLang: Lang;
  /** Cards and any organizer sections, already HTML. */
  body: string;
  /** The nodes on the page, for the steps it needs. */
  nodes: readonly FleetNode[];
}

/** A whole self-contained page: inline style, inline QR codes, three languages, one small script for copy buttons. */
export function sharePage({ defaultLang, body, nodes }: PageParts): string {
  const nav = languages.map((l) => `<a href="#${l}">${escapeHtml(languageNames[l])}</a>`).join("");
  return (
    `<!doctype html><html lang="${defaultLang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="${policy}"><meta name="referrer" content="no-referrer">` +
    `<title>${escapeHtml(w.title[defaultLang])}</title><style>${baseStyle}${languageStyle(defaultLang)}</style></head>` +
    `<body>${languages.map((l) => `<i id="${l}"></i>`).join("")}<main><nav>${nav}</nav>` +
    `<h1>${phrase(w.title)}</h1><p>${phrase(w.intro)}</p><p>${phrase(w.trust)}</p>` +
    `${body}${howToConnect(nodes)}</main><script>${copyScript}</script></body></html>\n`
  );
}
