/**
 * A button as the 5G API takes it (suggestions of text, file and chips messages; menu entries):
 * the card buttons' shape (card-schemas/common.v1.json), mapped to suggestions by
 * src/cards/render/rcs-suggestions.ts.
 */
import { z } from 'zod';
import type { CardButton } from '../../cards/card-model.js';
import { RCS_LIMITS } from './maap-message.js';

const url = z.string().regex(/^https?:\/\/\S+$/i, 'an http(s) URL').max(RCS_LIMITS.url);
const base = {
  text: z.string().trim().min(1).max(RCS_LIMITS.suggestionText).describe('The label, 1–25 characters.'),
  postback: z.string().min(1).max(RCS_LIMITS.postback).optional().describe('Reported back when tapped; default the button\'s place (s0, s1…).'),
};

export const rcsButtonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reply'), ...base }).strict(),
  z.object({ type: z.literal('openUrl'), ...base, url }).strict(),
  z.object({ type: z.literal('dial'), ...base, phoneNumber: z.string().regex(/^\+?[0-9][0-9 -]{1,24}$/, 'a phone number') }).strict(),
  z.object({ type: z.literal('openApp'), ...base, deepLink: z.string().regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'a URL with a scheme').max(RCS_LIMITS.url), fallbackUrl: url.optional() }).strict(),
  z.object({ type: z.literal('openMiniProgram'), ...base, appId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), path: z.string().regex(/^\S*$/).max(1024), fallbackUrl: url.optional() }).strict(),
  z.object({ type: z.literal('copyCode'), ...base, code: z.string().min(1).max(64) }).strict(),
]);

/** The issues of one button, with paths under `field`. */
export function buttonIssues(value: unknown, field: string): Array<{ field: string; rule: string; message: string }> {
  const r = rcsButtonSchema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const f = [field, ...i.path.map(String)].join('.');
    return { field: f, rule: i.code, message: `${f}: ${i.message}` };
  });
}

export type RcsButton = z.infer<typeof rcsButtonSchema> & CardButton;
