import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mmsPageRenderer, mmsPageView, renderMmsPage } from '../../../src/channels/mms/mms-page.js';
import { PreparedMmsTemplate } from '../../../src/channels/mms/mms-prepared-template.js';
import type { FittedTemplate, MmsTemplate } from '../../../src/channels/mms/mms-template.repository.js';
import { AppError } from '../../../src/http/app-error.js';
import type { ResolvedLink } from '../../../src/links/link.js';

const IMG = 'mmd_AAAAAAAAAAAAAAAAAAAAA';
const MP4 = 'mmd_BBBBBBBBBBBBBBBBBBBBB';
const MP3 = 'mmd_CCCCCCCCCCCCCCCCCCCCC';

function prepared(subject = '【阿里云】春季<新品>'): PreparedMmsTemplate {
  const template: MmsTemplate = {
    id: 'mtp_1', accountId: 'acc_1', name: 'Spring', profile: 'cn-video-sms', subject,
    slides: [{ text: '{{name}}，春季新品到店。\n第二行', image: IMG }, { text: '看视频', video: MP4, audio: MP3 }, { text: '详询 400-000-0000' }],
    variables: ['name'], sampleVariables: { name: '李雷' }, status: 'approved', rejectionReason: null, history: [],
    createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z', submittedAt: null, decidedAt: null,
  };
  const part = (slide: number, role: 'image' | 'video' | 'audio', contentType: string) => ({ name: `s${slide + 1}`, contentType, slide, role, bytes: Buffer.alloc(10) });
  const fit: FittedTemplate = {
    profile: 'cn-video-sms', smil: '<smil/>', fixedBytes: 1_000, slides: [],
    media: [part(0, 'image', 'image/jpeg'), part(1, 'video', 'video/mp4'), part(1, 'audio', 'audio/mpeg')],
  };
  return new PreparedMmsTemplate(template, fit);
}

const link = (mms: ResolvedLink['mms']): ResolvedLink => ({ code: 'Xk7pQm2a', accountId: 'acc_1', kind: 'mms', targetUrl: null, campaignId: 'cmp_1', card: null, ...(mms ? { mms } : {}), expiresAt: null, recipient: null });

describe('H5 page of an MMS', () => {
  it('when a recipient\'s page is rendered, then the subject and every slide show in order: text with the variables filled, the fitted picture, the video and audio players', () => {
    const html = renderMmsPage(mmsPageView(prepared(), { name: '韩梅梅' })!);

    expect(html).toContain('<h1 class="subject">【阿里云】春季&lt;新品&gt;</h1>');
    const slides = [...html.matchAll(/<section class="slide">([\s\S]*?)<\/section>/g)].map((m) => m[1].replace(/\s+/g, ' ').trim());
    expect(slides).toEqual([
      `<img class="media" src="/mm/${IMG}" alt="" decoding="async"> <p class="text">韩梅梅，春季新品到店。 第二行</p>`,
      `<video class="media" controls playsinline preload="metadata"><source src="/mm/${MP4}" type="video/mp4"></video> <audio class="audio" controls preload="none"><source src="/mm/${MP3}" type="audio/mpeg"></audio> <p class="text">看视频</p>`,
      '<p class="text">详询 400-000-0000</p>',
    ]);
    expect(html).toContain('<title>【阿里云】春季&lt;新品&gt;</title>');
  });

  it('when a variable value holds HTML, then it is escaped everywhere (no tag, no attribute escape)', () => {
    const html = renderMmsPage(mmsPageView(prepared('{{name}}的彩信'), { name: '<script>alert(1)</script>"\'&' })!);

    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;的彩信');
    expect(html).toContain('<p class="text">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;，春季新品到店。');
  });

  it('when the page is read, then its Content-Security-Policy allows its inline style by hash, no script, and media from its own origin only', () => {
    const html = renderMmsPage(mmsPageView(prepared(), { name: '韩梅梅' })!);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];

    expect(csp.split('; ')).toEqual([
      "default-src 'none'", "img-src 'self'", "media-src 'self'", `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`, "base-uri 'none'", "form-action 'none'",
    ]);
    expect(html).not.toMatch(/<script|unsafe-inline| on\w+=/);
  });

  it('when the subject is empty, then the page has no heading and a generic title', () => {
    const html = renderMmsPage(mmsPageView(prepared(''), { name: '韩梅梅' })!);
    expect(html).not.toContain('class="subject"');
    expect(html).toContain('<title>彩信</title>');
  });

  it('when the link\'s template cannot be prepared or its variables do not render, then the plain page is answered; other errors propagate', async () => {
    const fallback = (l: ResolvedLink) => `plain ${l.code}`;
    const ok = mmsPageRenderer({ templates: { prepare: async () => prepared() }, fallback });
    const notApproved = mmsPageRenderer({ templates: { prepare: async () => { throw new AppError(409, 'MMS_TEMPLATE_NOT_APPROVED', 'rejected', 'templateId'); } }, fallback });
    const broken = mmsPageRenderer({ templates: { prepare: async () => { throw new Error('database down'); } }, fallback });

    expect(await ok(link({ templateId: 'mtp_1', variables: { name: '韩梅梅' } }))).toContain('韩梅梅，春季新品到店。');
    expect(await ok(link({ templateId: 'mtp_1', variables: {} }))).toBe('plain Xk7pQm2a');
    expect(await ok(link(undefined))).toBe('plain Xk7pQm2a');
    expect(await notApproved(link({ templateId: 'mtp_1', variables: { name: '韩梅梅' } }))).toBe('plain Xk7pQm2a');
    await expect(broken(link({ templateId: 'mtp_1', variables: { name: '韩梅梅' } }))).rejects.toThrow('database down');
  });
});
