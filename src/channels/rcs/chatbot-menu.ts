/**
 * A chatbot's persistent menu (DOMAIN.md §1): at most 2 levels, at most 3 top entries, at most 5
 * entries per submenu, every label 1–25 characters. An entry is a button (the card buttons' shape:
 * reply, openUrl, dial, openApp, openMiniProgram, copyCode) or a submenu `{text, submenu: [buttons]}`.
 * Registered with the chatbot as the GSMA `persistentMenu` (menuToMaap).
 */
import { AppError } from '../../http/app-error.js';
import type { CardButton } from '../../cards/card-model.js';
import { suggestionOf } from '../../cards/render/rcs-suggestions.js';
import type { RcsProblem, RcsSuggestion } from './maap-message.js';
import { buttonIssues } from './rcs-button.js';

export const MENU_LIMITS = { top: 3, submenu: 5, text: 25 } as const;

export interface MenuFolder {
  text: string;
  submenu: CardButton[];
}
export type MenuEntry = CardButton | MenuFolder;
export type ChatbotMenu = MenuEntry[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function problem(problems: RcsProblem[], field: string, rule: string, message: string): void {
  problems.push({ field, rule, message: `${field}: ${message}` });
}

function checkText(problems: RcsProblem[], field: string, text: unknown): void {
  if (typeof text !== 'string') return problem(problems, field, 'type', 'must be a string');
  const n = [...text.trim()].length;
  if (n < 1 || n > MENU_LIMITS.text) problem(problems, field, 'length', `must be 1–${MENU_LIMITS.text} characters (is ${n})`);
}

function checkButton(problems: RcsProblem[], field: string, b: Record<string, unknown>): void {
  // The label rule is the menu's own (same numbers as a suggestion's); the rest is a button's.
  checkText(problems, `${field}.text`, b.text);
  problems.push(...buttonIssues(b, field).filter((p) => p.field !== `${field}.text`));
}

/**
 * Validates a menu; every broken rule is listed with the field it concerns (`menu.1.submenu.5`).
 * @throws AppError RCS_MENU_INVALID (400), `field` the first problem's, `details` all of them.
 */
export function validateMenu(input: unknown): ChatbotMenu {
  const problems: RcsProblem[] = [];
  if (!Array.isArray(input)) problem(problems, 'menu', 'type', 'must be an array of entries');
  else {
    if (input.length > MENU_LIMITS.top) problem(problems, 'menu', 'maxItems', `at most ${MENU_LIMITS.top} top entries (has ${input.length})`);
    input.forEach((entry, i) => {
      const field = `menu.${i}`;
      if (!isObject(entry)) return problem(problems, field, 'type', 'must be an object');
      if (!('submenu' in entry)) return checkButton(problems, field, entry);
      checkText(problems, `${field}.text`, entry.text);
      const sub = entry.submenu;
      if (!Array.isArray(sub) || sub.length === 0) return problem(problems, `${field}.submenu`, 'minItems', 'must be a non-empty array of entries');
      if (sub.length > MENU_LIMITS.submenu) problem(problems, `${field}.submenu`, 'maxItems', `at most ${MENU_LIMITS.submenu} entries per submenu (has ${sub.length})`);
      sub.forEach((s, j) => {
        const sf = `${field}.submenu.${j}`;
        if (!isObject(s)) return problem(problems, sf, 'type', 'must be an object');
        if ('submenu' in s) return problem(problems, `${sf}.submenu`, 'depth', 'menus have at most 2 levels: a submenu entry cannot open another submenu');
        checkButton(problems, sf, s);
      });
    });
  }
  if (problems.length) throw new AppError(400, 'RCS_MENU_INVALID', problems[0].message, problems[0].field, problems);
  return input as ChatbotMenu;
}

type MaapMenuEntry = RcsSuggestion | { menu: { displayText: string; entries: RcsSuggestion[] } };

/** The GSMA persistentMenu of a valid menu (postbacks default to the entry's place: `m0`, `m1.2`). */
export function menuToMaap(menu: ChatbotMenu): { menu: { entries: MaapMenuEntry[] } } {
  const unused: RcsProblem[] = [];
  return {
    menu: {
      entries: menu.map((e, i): MaapMenuEntry => ('submenu' in e
        ? { menu: { displayText: e.text, entries: e.submenu.map((b, j) => suggestionOf(b, `m${i}.${j}`, `menu.${i}.submenu.${j}`, unused)) } }
        : suggestionOf(e, `m${i}`, `menu.${i}`, unused))),
    },
  };
}
