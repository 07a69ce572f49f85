import { describe, expect, it } from 'vitest';
import { checkSignature, extractSignature } from '../../../src/content/signature.js';

const REGISTERED = ['云信科技', '【百万超市】'];

describe('extractSignature', () => {
  it('when the text starts with 【签名】, then the signature and the rest are split', () => {
    expect(extractSignature('【云信科技】您的验证码是123456')).toEqual({ signature: '云信科技', body: '您的验证码是123456' });
  });

  it('when the text has no leading signature, then signature is null and body is the whole text', () => {
    expect(extractSignature('您的验证码是123456【云信科技】')).toEqual({
      signature: null,
      body: '您的验证码是123456【云信科技】',
    });
  });

  it('when the signature is preceded by a space, then it is not a signature', () => {
    expect(extractSignature(' 【云信科技】hi').signature).toBeNull();
  });

  it('when the brackets are empty, then the signature is the empty string', () => {
    expect(extractSignature('【】hi')).toEqual({ signature: '', body: 'hi' });
  });

  it('when the leading bracket nests another 【, then there is no signature', () => {
    expect(extractSignature('【a【b】hi').signature).toBeNull();
  });
});

describe('checkSignature', () => {
  it('when the text carries a registered signature, then it passes unchanged', () => {
    // Arrange
    const text = '【云信科技】您的验证码是123456，5分钟内有效。';

    // Act
    const result = checkSignature({ text, registered: REGISTERED, strayBrackets: 'reject' });

    // Assert
    expect(result).toEqual({ ok: true, text, signature: '云信科技' });
  });

  it('when the text lacks a signature and the request names one, then 【signature】 is prepended', () => {
    // Arrange / Act
    const result = checkSignature({
      text: '您的验证码是123456',
      signature: '云信科技',
      registered: REGISTERED,
      strayBrackets: 'reject',
    });

    // Assert
    expect(result).toEqual({ ok: true, text: '【云信科技】您的验证码是123456', signature: '云信科技' });
  });

  it('when the registry lists a signature with brackets, then it still matches the bare name', () => {
    const result = checkSignature({ text: '【百万超市】周末特惠', registered: REGISTERED, strayBrackets: 'reject' });
    expect(result.ok).toBe(true);
  });

  it('when neither the text nor the request has a signature, then SIGNATURE_MISSING', () => {
    // Act
    const result = checkSignature({ text: '您的验证码是123456', registered: REGISTERED, strayBrackets: 'reject' });

    // Assert
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_MISSING', field: 'signature' });
  });

  it('when the signature is registered nowhere, then SIGNATURE_NOT_REGISTERED', () => {
    const result = checkSignature({ text: '【别家公司】hello', registered: REGISTERED, strayBrackets: 'reject' });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_NOT_REGISTERED', field: 'signature' });
  });

  it.each([
    ['【云】hi', 1],
    ['【一二三四五六七八九】hi', 9],
    ['【】hi', 0],
  ])('when the signature in %s has %i characters, then SIGNATURE_INVALID_LENGTH', (text) => {
    // Arrange: register them so only the length can fail
    const registered = ['云', '一二三四五六七八九', ''];

    // Act
    const result = checkSignature({ text, registered, strayBrackets: 'reject' });

    // Assert
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID_LENGTH' });
  });

  it.each([['云信'], ['一二三四五六七八']])('when the signature %s is 2 or 8 characters, then the length passes', (sig) => {
    const result = checkSignature({ text: `【${sig}】hi`, registered: [sig], strayBrackets: 'reject' });
    expect(result.ok).toBe(true);
  });

  it('when the body has a stray 【】 and the account rejects, then SIGNATURE_STRAY_BRACKETS on text', () => {
    // Arrange
    const text = '【云信科技】【重要】您的账户余额不足';

    // Act
    const result = checkSignature({ text, registered: REGISTERED, strayBrackets: 'reject' });

    // Assert
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_STRAY_BRACKETS', field: 'text' });
  });

  it('when the body has a stray 【】 and the account rewrites, then they become [ ]', () => {
    // Arrange
    const text = '【云信科技】【重要】您的账户余额不足】';

    // Act
    const result = checkSignature({ text, registered: REGISTERED, strayBrackets: 'rewrite' });

    // Assert
    expect(result).toEqual({ ok: true, text: '【云信科技】[重要]您的账户余额不足]', signature: '云信科技' });
  });

  it('when a second signature is appended at the end, then it counts as stray', () => {
    // Arrange
    const text = '【云信科技】会员日全场八折【百万超市】';

    // Act
    const rejected = checkSignature({ text, registered: REGISTERED, strayBrackets: 'reject' });
    const rewritten = checkSignature({ text, registered: REGISTERED, strayBrackets: 'rewrite' });

    // Assert
    expect(rejected).toMatchObject({ ok: false, code: 'SIGNATURE_STRAY_BRACKETS' });
    expect(rewritten).toMatchObject({ ok: true, text: '【云信科技】会员日全场八折[百万超市]' });
  });

  it('when a signature is prepended to a text ending in 【x】, then the trailing pair is stray', () => {
    const result = checkSignature({
      text: '会员日全场八折【百万超市】',
      signature: '云信科技',
      registered: REGISTERED,
      strayBrackets: 'reject',
    });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_STRAY_BRACKETS' });
  });

  it('when the text is signed differently from the request, then SIGNATURE_MISMATCH', () => {
    const result = checkSignature({
      text: '【百万超市】周末特惠',
      signature: '云信科技',
      registered: REGISTERED,
      strayBrackets: 'reject',
    });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_MISMATCH', field: 'signature' });
  });

  it('when the request signature already carries brackets, then they are not doubled', () => {
    const result = checkSignature({ text: 'hi', signature: '【云信科技】', registered: REGISTERED, strayBrackets: 'reject' });
    expect(result).toEqual({ ok: true, text: '【云信科技】hi', signature: '云信科技' });
  });

  it('when the request signature hides a bracket inside, then it is rejected', () => {
    const result = checkSignature({ text: 'hi', signature: '云信】【科技', registered: ['云信】【科技'], strayBrackets: 'rewrite' });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_STRAY_BRACKETS', field: 'signature' });
  });
});
