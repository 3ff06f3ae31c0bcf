// Punctuation that follows the page's language: full-width in Chinese ("理由：…（张三）"),
// ASCII in English ("Reason: … (张三)"). Read as live bindings, so a language switch applies to
// the next render.

import {currentLang, onLangChange} from './i18n.js';

export let C = '：';
export let LP = '（';
export let RP = '）';

export function updatePunctuation() {
  const en = currentLang() === 'en';
  C = en ? ': ' : '：';
  LP = en ? ' (' : '（';
  RP = en ? ')' : '）';
}

onLangChange(updatePunctuation);
updatePunctuation();
