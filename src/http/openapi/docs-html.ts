/**
 * The /docs page: one self-contained HTML file (inline CSS, no scripts, no CDN) rendered with
 * handlebars from the OpenAPI document, so it works offline and cannot drift from /openapi.json.
 */
import Handlebars from 'handlebars';
import { docsView } from './docs-view.js';

const hbs = Handlebars.create();

/** A tiny Markdown subset for descriptions: paragraphs, `code`, **bold**, *emphasis*. Escapes everything else. */
function inline(text: string): string {
  return text
    .split('`')
    .map((seg, i) => {
      const safe = Handlebars.escapeExpression(seg);
      return i % 2 === 1 ? `<code>${safe}</code>` : safe.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/\*([^*]+)\*/g, '<em>$1</em>');
    })
    .join('');
}
hbs.registerHelper('md', (text: unknown) =>
  new Handlebars.SafeString(String(text ?? '').split(/\n{2,}/).filter(Boolean).map((p) => `<p>${inline(p)}</p>`).join('')));
hbs.registerHelper('mdi', (text: unknown) => new Handlebars.SafeString(inline(String(text ?? ''))));
hbs.registerHelper('lower', (s: unknown) => String(s).toLowerCase());

const FIELDS = `<table><thead><tr><th>Field</th><th>Type</th><th>Rules</th><th>Description</th></tr></thead><tbody>
{{#each this}}<tr><td><code>{{name}}</code>{{#if required}} <span class="req">required</span>{{/if}}</td><td><code>{{type}}</code></td><td>{{rules}}</td><td>{{md description}}</td></tr>{{/each}}
</tbody></table>`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} {{version}}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1d232a;background:#fafbfc}
nav{position:fixed;top:0;bottom:0;left:0;width:290px;overflow:auto;padding:16px;background:#fff;border-right:1px solid #e3e6ea;box-sizing:border-box}
nav a{display:block;color:#1d232a;text-decoration:none;padding:2px 0;font-size:13px}nav h3{margin:14px 0 4px;font-size:12px;text-transform:uppercase;color:#6a737d}
main{margin-left:290px;padding:24px 40px;max-width:1100px}
section.op{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:16px 20px;margin:18px 0}
h1{margin-top:0}h2{border-bottom:2px solid #e3e6ea;padding-bottom:4px;margin-top:40px}h3{margin:0 0 6px}h4{margin:14px 0 4px}
.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font:bold 12px/20px monospace;margin-right:6px}
.get{background:#2b7bb9}.post{background:#2f9e44}.put{background:#d9822b}.patch{background:#8a63d2}.delete{background:#c92a2a}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
pre{background:#f3f5f7;border:1px solid #e3e6ea;border-radius:4px;padding:10px;overflow:auto;max-height:420px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}th,td{border:1px solid #e3e6ea;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}th{background:#f3f5f7}
td p,li p{margin:0 0 4px}.req{color:#c92a2a;font-size:11px}.auth{color:#6a737d;font-size:13px}.codes code{margin-right:6px}
</style></head><body>
<nav><strong>{{title}}</strong> <small>{{version}}</small>
<a href="#overview">Overview</a><a href="#errors">Error codes</a><a href="/openapi.json">openapi.json</a>
{{#each groups}}<h3>{{tag}}</h3>{{#each operations}}<a href="#{{anchor}}"><span class="m {{lower method}}">{{method}}</span>{{path}}</a>{{/each}}{{/each}}
</nav>
<main>
<h1 id="overview">{{title}} <small>{{version}}</small></h1>
{{md description}}
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
{{#each groups}}
<h2>{{tag}}</h2>{{md description}}
{{#each operations}}
<section class="op" id="{{anchor}}">
<h3><span class="m {{lower method}}">{{method}}</span><code>{{path}}</code></h3>
<div><strong>{{summary}}</strong> <span class="auth">· auth: {{auth}} · operationId {{anchor}}</span></div>
{{md description}}
{{#if params.length}}<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Rules</th><th>Description</th></tr></thead><tbody>
{{#each params}}<tr><td><code>{{name}}</code>{{#if required}} <span class="req">required</span>{{/if}}</td><td>{{location}}</td><td><code>{{type}}</code></td><td>{{rules}}</td><td>{{md description}}</td></tr>{{/each}}
</tbody></table>{{/if}}
{{#if bodyFields.length}}<h4>Request body (application/json)</h4>{{> fields bodyFields}}{{/if}}
{{#each bodyExamples}}<h4>Example: {{summary}}</h4><pre>{{json}}</pre>{{/each}}
<h4>Responses</h4>
{{#each responses}}
{{#if codes.length}}<div class="codes"><strong>{{status}}</strong> {{#each codes}}<a href="#err-{{this}}"><code>{{this}}</code></a>{{/each}}</div>
{{else}}<div><strong>{{status}}</strong> {{mdi description}}</div>{{#if fields.length}}{{> fields fields}}{{/if}}{{#if example}}<pre>{{example}}</pre>{{/if}}{{/if}}
{{/each}}
</section>
{{/each}}
{{/each}}
<h2 id="errors">Error codes</h2>
<p>HTTP errors have the shape <code>{"error":{"code","message","field"?,"details"?}}</code>. Codes marked <em>message</em> are not HTTP errors: a message that fails a check is stored as <code>failed</code> and carries the code as <code>errorCode</code> (in the 202 answer, in <code>rejected[]</code> of a batch, in its status report).</p>
<table><thead><tr><th>Code</th><th>HTTP</th><th>Meaning</th></tr></thead><tbody>
{{#each errorCodes}}<tr id="err-{{code}}"><td><code>{{code}}</code></td><td>{{status}}</td><td>{{md meaning}}</td></tr>{{/each}}
</tbody></table>
<h4>Upstream codes</h4><p>Inside <code>errorMessage</code> and <code>attempts[].parts[].submitError</code> ("SMPP_TIMEOUT: …"), never as <code>errorCode</code>.</p>
<table><tbody>{{#each upstreamCodes}}<tr><td><code>{{code}}</code></td><td>{{meaning}}</td></tr>{{/each}}</tbody></table>
</main></body></html>`;

hbs.registerPartial('fields', FIELDS);
const template = hbs.compile(PAGE, { strict: false });

/** The /docs page for `doc`. */
export function renderDocsHtml(doc: Record<string, unknown>): string {
  return template(docsView(doc));
}
