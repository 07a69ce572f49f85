/**
 * Text renderings shared by the SMS-like channels of the fallback engine: a card becomes its plain
 * text with the H5 page link (templates/cards/text), other content its text with the page link
 * (templates/fallback/text-with-link.hbs).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { CardRendererRegistry } from '../../cards/render/card-renderer.js';
import type { FallbackContent, RenderRefusal, StepRendering } from '../fallback-channel.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates', 'fallback');
const textWithLink = Handlebars.create().compile(readFileSync(join(DIR, 'text-with-link.hbs'), 'utf8'), { noEscape: true, strict: false });

/** The text a text channel sends for `content`, with the kind shown in the history. */
export function plainTextOf(content: FallbackContent, renderers: CardRendererRegistry): { kind: string; text: string } | { refused: RenderRefusal } {
  if (content.card) return { kind: 'text-with-link', text: renderers.render('text', content.card.card, { link: content.pageUrl }).body };
  if (content.text) return { kind: content.pageUrl ? 'text-with-link' : 'text', text: textWithLink({ text: content.text, link: content.pageUrl }).trim() };
  return { refused: { code: 'NO_TEXT', message: 'the content has neither a card nor a text to send as SMS', field: 'text' } };
}

export function textRendering(kind: string, text: string, extra: Record<string, unknown> = {}): StepRendering {
  return { kind, payload: { text, ...extra } };
}

/** What an SMS rendering needs besides its text: signature, sender ID, and the platform's link origins. */
export function smsExtras(content: FallbackContent, ...links: Array<string | undefined>): Record<string, unknown> {
  const origins = [content.pageUrl, ...links].filter((u): u is string => !!u).map((u) => new URL(u).origin);
  return { signature: content.signature, senderId: content.senderId, links: [...new Set(origins)] };
}
