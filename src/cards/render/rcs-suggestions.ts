/**
 * Card buttons as 5G (RCS UP) suggestions. UP 2.4 suggestions are a reply (text + postback) or an
 * action (open URL, dial, location, calendar); the card's other button kinds map to the closest:
 * - openUrl → urlAction.openUrl; dial → dialerAction.dialPhoneNumber (spaces and dashes dropped);
 * - reply → reply with its postback;
 * - openApp / openMiniProgram → urlAction.openUrl of the fallbackUrl when given (a web page works
 *   on every handset, and app links open the app where installed), else the deep link / the
 *   WeChat mini-program URL scheme — the same target the H5 page uses (buttonTarget);
 * - copyCode → a reply whose postback is `copyCode:<code>`: there is no clipboard action in UP, so
 *   a tap sends the postback back and the chatbot answers with the code as a text message of its
 *   own, which the user can long-press to copy (see rcs.service.ts).
 * Each suggestion's postback is the button's own, or its place in the card (`b0`, `c2.b1`, `s3`).
 */
import type { CardButton } from '../card-model.js';
import { RCS_LIMITS, checkCount, checkLength, type RcsProblem, type RcsSuggestion } from '../../channels/rcs/maap-message.js';
import { buttonTarget } from './card-view-model.js';

/** The postback prefix of copy-code suggestions; the chatbot answers it with the code. */
export const COPY_CODE_POSTBACK = 'copyCode:';

/**
 * One button as a suggestion; limits are checked and problems named after `field` (the button's
 * path in the input, e.g. `card.cards.3.buttons.1`).
 */
export function suggestionOf(b: CardButton, placeId: string, field: string, problems: RcsProblem[]): RcsSuggestion {
  checkLength(problems, `${field}.text`, b.text, RCS_LIMITS.suggestionText, 1);
  const data = b.type === 'copyCode' ? COPY_CODE_POSTBACK + b.code : (b.postback ?? placeId);
  checkLength(problems, `${field}.${b.type === 'copyCode' ? 'code' : 'postback'}`, data, RCS_LIMITS.postback);
  const base = { displayText: b.text, postback: { data } };
  switch (b.type) {
    case 'reply':
    case 'copyCode':
      return { reply: base };
    case 'dial':
      return { action: { ...base, dialerAction: { dialPhoneNumber: { phoneNumber: b.phoneNumber.replace(/[\s-]/g, '') } } } };
    default: {
      const url = buttonTarget(b)!;
      const urlField = b.type === 'openUrl' ? 'url' : b.fallbackUrl ? 'fallbackUrl' : b.type === 'openApp' ? 'deepLink' : 'path';
      checkLength(problems, `${field}.${urlField}`, url, RCS_LIMITS.url);
      return { action: { ...base, urlAction: { openUrl: { url } } } };
    }
  }
}

/** Buttons as suggestions, at most `max` of them; ids `<prefix><index>`. */
export function suggestionsOf(buttons: readonly CardButton[] | undefined, prefix: string, field: string, max: number, problems: RcsProblem[]): RcsSuggestion[] | undefined {
  if (!buttons?.length) return undefined;
  checkCount(problems, field, buttons.length, max);
  return buttons.map((b, i) => suggestionOf(b, `${prefix}${i}`, `${field}.${i}`, problems));
}
