/**
 * SQL and input rules of keyword auto-replies (one chatbot's rules; every query scoped by account).
 */
import { z } from 'zod';
import { isoOrNull, type Db } from '../../db/db-client.js';
import { RCS_LIMITS } from './maap-message.js';
import { MATCH_TYPES, unsafeRegexReason, type MatchType } from './keyword-matcher.js';

export const keywordReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().min(1).max(RCS_LIMITS.text) }).strict(),
  z.object({
    type: z.literal('card'),
    templateId: z.string().min(1).max(64).describe('An approved card template of this account (a carousel template sends a carousel).'),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  }).strict(),
]);

export const keywordRuleSchema = z.object({
  matchType: z.enum(MATCH_TYPES),
  pattern: z.string().min(1).max(200).describe('The keyword (exact, contains) or a regular expression (regex: ≤ 100 characters, no backreferences, no repeated group holding a repetition or alternation).'),
  priority: z.number().int().min(-1000).max(1000).default(0).describe('Higher is tried first; among equals, the older rule.'),
  reply: keywordReplySchema,
  enabled: z.boolean().default(true),
}).strict().superRefine((r, ctx) => {
  const reason = r.matchType === 'regex' ? unsafeRegexReason(r.pattern) : undefined;
  if (reason) ctx.addIssue({ code: 'custom', path: ['pattern'], message: reason });
});

export type KeywordReply = z.infer<typeof keywordReplySchema>;
export type KeywordRuleInput = z.infer<typeof keywordRuleSchema>;

export interface KeywordRule {
  id: string;
  accountId: string;
  chatbotId: string;
  matchType: MatchType;
  pattern: string;
  priority: number;
  reply: KeywordReply;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

const toRule = (r: Record<string, unknown>): KeywordRule => ({
  id: r.id as string, accountId: r.account_id as string, chatbotId: r.chatbot_id as string, matchType: r.match_type as MatchType,
  pattern: r.pattern as string, priority: r.priority as number, reply: r.reply as KeywordReply, enabled: r.enabled as boolean,
  createdAt: isoOrNull(r.created_at)!, updatedAt: isoOrNull(r.updated_at)!,
});

export class KeywordRuleRepository {
  constructor(private readonly db: Db) {}

  async create(id: string, accountId: string, chatbotId: string, r: KeywordRuleInput): Promise<KeywordRule> {
    const [row] = await this.db.query(
      `insert into rcs_keyword_rules (id, account_id, chatbot_id, match_type, pattern, priority, reply, enabled)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) returning *`,
      [id, accountId, chatbotId, r.matchType, r.pattern, r.priority, JSON.stringify(r.reply), r.enabled],
    );
    return toRule(row);
  }

  async list(accountId: string, chatbotId: string): Promise<KeywordRule[]> {
    const rows = await this.db.query('select * from rcs_keyword_rules where account_id = $1 and chatbot_id = $2 order by priority desc, id', [accountId, chatbotId]);
    return rows.map(toRule);
  }

  async replace(accountId: string, chatbotId: string, id: string, r: KeywordRuleInput): Promise<KeywordRule | undefined> {
    const [row] = await this.db.query(
      `update rcs_keyword_rules set match_type = $4, pattern = $5, priority = $6, reply = $7::jsonb, enabled = $8, updated_at = now()
        where account_id = $1 and chatbot_id = $2 and id = $3 returning *`,
      [accountId, chatbotId, id, r.matchType, r.pattern, r.priority, JSON.stringify(r.reply), r.enabled],
    );
    return row ? toRule(row) : undefined;
  }

  async delete(accountId: string, chatbotId: string, id: string): Promise<boolean> {
    const rows = await this.db.query('delete from rcs_keyword_rules where account_id = $1 and chatbot_id = $2 and id = $3 returning id', [accountId, chatbotId, id]);
    return rows.length > 0;
  }
}
