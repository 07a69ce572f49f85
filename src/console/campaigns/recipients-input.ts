/**
 * The recipient list of the console's "New campaign" form, as pasted into its textarea (or read
 * there from a CSV file by the page's script). Two shapes, told apart by the first line:
 * - a CSV with a header row `to,<variable>,…` (RFC 4180 quoting, a BOM, CRLF and blank lines
 *   tolerated), one column per variable of the template;
 * - one recipient a line, `number,name=value,…` (fields may be quoted as in CSV).
 * Problems with the list's shape (a missing or unknown column, a wrong field count, an unclosed
 * quote, too many rows) stop the send and name the line. A bad number or an empty value is not
 * judged here: the campaign service rejects that recipient alone, and the console reports it by line
 * after the send, so one typo does not hold back a whole list.
 */

export interface ParsedRecipient {
  /** Line of the textarea the recipient starts on (1-based), to report rejections by. */
  line: number;
  to: string;
  variables: Record<string, string>;
}

export interface RecipientsProblem {
  field: 'recipients';
  message: string;
}

export interface ParsedRecipients {
  recipients: ParsedRecipient[];
  problems: RecipientsProblem[];
}

/** Problems listed before "…and N more": enough to see the pattern, not a wall of text. */
const MAX_PROBLEMS = 10;

interface CsvRow {
  line: number;
  fields: string[];
}

/** RFC 4180 rows with the line each starts on; unquoted fields are trimmed, blank lines skipped. */
export function csvRows(text: string): { rows: CsvRow[]; error?: string } {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside quotes
  let wasQuoted = false; // the current field had quotes (so it is kept as is, even if blank)
  let line = 1;
  let rowLine = 1;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    rows.push({ line: rowLine, fields });
    fields = [];
  };
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') field += '"', i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) return { rows, error: `Line ${rowLine}: a quoted field is not closed (a " is missing)` };
  endRow();
  return { rows: rows.filter((r) => r.fields.some((f) => f !== '')) };
}

/**
 * Parses the textarea against the template's variables. `maxRecipients` is the most one send may
 * carry (the API's batch limit).
 */
export function parseRecipients(text: string, templateVariables: readonly string[], maxRecipients: number): ParsedRecipients {
  const { rows, error } = csvRows(text);
  if (error) return fail([error]);
  if (rows.length === 0) return fail(['Paste at least one recipient: a number per line, or a CSV with a header row "to,…"']);
  const known = new Set(templateVariables);
  const usesList = templateVariables.length ? `the template uses ${templateVariables.join(', ')}` : 'the template has no variables';
  const isHeader = rows[0].fields[0].toLowerCase() === 'to';
  const count = rows.length - (isHeader ? 1 : 0);
  if (count > maxRecipients) return fail([`${count} recipients: one campaign may have at most ${maxRecipients}; split the list`]);

  const problems: string[] = [];
  const recipients: ParsedRecipient[] = [];
  if (isHeader) {
    const [header, ...body] = rows;
    const columns = header.fields.slice(1);
    columns.forEach((c, i) => {
      if (c === '') problems.push(`Line ${header.line}: column ${i + 2} of the header has no name`);
      else if (!known.has(c)) problems.push(`Line ${header.line}: column "${clip(c)}" is not a variable of the template (${usesList})`);
      else if (columns.indexOf(c) !== i) problems.push(`Line ${header.line}: column "${clip(c)}" appears twice`);
    });
    for (const v of templateVariables) {
      if (!columns.includes(v)) problems.push(`Line ${header.line}: column "${v}" is missing (${usesList})`);
    }
    if (problems.length) return fail(problems);
    for (const r of body) {
      // Spreadsheets pad short rows with trailing commas: empty extra fields are harmless.
      const extra = r.fields.slice(header.fields.length);
      if (r.fields.length < header.fields.length || extra.some((f) => f !== '')) {
        problems.push(`Line ${r.line}: ${r.fields.length} fields, but the header has ${header.fields.length}`);
        continue;
      }
      recipients.push({ line: r.line, to: r.fields[0], variables: Object.fromEntries(columns.map((c, i) => [c, r.fields[i + 1]])) });
    }
  } else {
    for (const r of rows) {
      const variables: Record<string, string> = {};
      let ok = true;
      for (const f of r.fields.slice(1)) {
        if (f === '') continue;
        const eq = f.indexOf('=');
        const name = eq < 0 ? '' : f.slice(0, eq).trim();
        if (eq <= 0) {
          problems.push(`Line ${r.line}: "${clip(f)}" is not name=value (a line is: number,name=value,…; or start with a header row "to,…")`);
        } else if (!known.has(name)) {
          problems.push(`Line ${r.line}: "${clip(name)}" is not a variable of the template (${usesList})`);
        } else if (name in variables) {
          problems.push(`Line ${r.line}: "${clip(name)}" is given twice`);
        } else {
          variables[name] = f.slice(eq + 1).trim();
          continue;
        }
        ok = false;
      }
      if (ok) recipients.push({ line: r.line, to: r.fields[0], variables });
    }
  }
  return problems.length ? fail(problems) : { recipients, problems: [] };
}

function fail(messages: string[]): ParsedRecipients {
  const shown = messages.slice(0, MAX_PROBLEMS);
  if (messages.length > MAX_PROBLEMS) shown.push(`…and ${messages.length - MAX_PROBLEMS} more problems`);
  return { recipients: [], problems: shown.map((message) => ({ field: 'recipients', message })) };
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
