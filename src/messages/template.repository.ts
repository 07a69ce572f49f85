import type { Db } from '../db/db-client.js';
import type { Category } from '../accounts/account.js';
import { newId } from '../ids.js';

export interface TemplateView {
  id: string;
  name: string;
  body: string;
  category: Category;
  status: 'pending' | 'approved' | 'rejected';
  rejectReason: string | null;
  variables: string[];
  createdAt: string;
}

/** Text templates: fixed text with {{variables}}, reviewed (approved) before they may send. */
export class TemplateRepository {
  constructor(private readonly db: Db) {}

  async create(accountId: string, t: { name: string; body: string; category: Category; variables: string[] }): Promise<TemplateView> {
    const [row] = await this.db.query(
      'insert into templates (id, account_id, name, body, category, variables) values ($1,$2,$3,$4,$5,$6) returning *',
      [newId('tpl'), accountId, t.name, t.body, t.category, t.variables],
    );
    return view(row);
  }

  async get(accountId: string, id: string): Promise<TemplateView | undefined> {
    const [row] = await this.db.query('select * from templates where account_id = $1 and id = $2', [accountId, id]);
    return row ? view(row) : undefined;
  }

  async list(accountId: string): Promise<TemplateView[]> {
    return (await this.db.query('select * from templates where account_id = $1 order by id', [accountId])).map(view);
  }

  async review(id: string, status: 'approved' | 'rejected', reason: string | null): Promise<TemplateView | undefined> {
    const [row] = await this.db.query('update templates set status = $2, reject_reason = $3 where id = $1 returning *', [id, status, reason]);
    return row ? view(row) : undefined;
  }
}

const view = (r: Record<string, unknown>): TemplateView => ({
  id: r.id as string,
  name: r.name as string,
  body: r.body as string,
  category: r.category as Category,
  status: r.status as TemplateView['status'],
  rejectReason: (r.reject_reason as string) ?? null,
  variables: r.variables as string[],
  createdAt: new Date(r.created_at as string).toISOString(),
});
