import { beforeEach, describe, expect, it } from 'vitest';
import {
  TEMPLATE_CACHE_LIMIT,
  TemplateSyntaxError,
  TemplateVariableError,
  clearTemplateCache,
  compileTemplate,
  templateCacheSize,
} from '../../../src/content/template-render.js';

beforeEach(() => {
  clearTemplateCache();
});

describe('compileTemplate', () => {
  it('when a body has variables, then they are listed once each in first-use order', () => {
    // Act
    const t = compileTemplate('【云信科技】{{name}}您好，您的验证码是{{code}}，{{name}}请于{{date}}前使用。');

    // Assert
    expect(t.variables).toEqual(['name', 'code', 'date']);
  });

  it('when all variables are given, then the text is rendered without HTML escaping', () => {
    // Arrange
    const t = compileTemplate('【云信科技】{{name}}您好，验证码{{code}}，详情 {{{link}}}');

    // Act
    const text = t.render({ name: 'Tom & <Jerry>', code: 123456, link: 'https://t.cn/a?b=1&c=2' });

    // Assert
    expect(text).toBe('【云信科技】Tom & <Jerry>您好，验证码123456，详情 https://t.cn/a?b=1&c=2');
  });

  it('when a variable is missing, then TemplateVariableError names it', () => {
    // Arrange
    const t = compileTemplate('{{name}}您好，验证码{{code}}');

    // Act
    const act = (): string => t.render({ name: '张三' });

    // Assert
    expect(act).toThrow(TemplateVariableError);
    expect(act).toThrow(expect.objectContaining({ code: 'TEMPLATE_VARIABLE_MISSING', field: 'code', variable: 'code' }));
  });

  it.each([[null], [undefined]])('when a variable is %s, then it counts as missing', (value) => {
    const t = compileTemplate('验证码{{code}}');
    expect(() => t.render({ code: value })).toThrow(expect.objectContaining({ code: 'TEMPLATE_VARIABLE_MISSING' }));
  });

  it('when a variable is an object, then TEMPLATE_VARIABLE_INVALID instead of "[object Object]"', () => {
    const t = compileTemplate('日期{{date}}');
    expect(() => t.render({ date: new Date(0) })).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_VARIABLE_INVALID', field: 'date' }),
    );
  });

  it('when a variable is named like an Object.prototype member, then it must be an own property', () => {
    // Arrange
    const t = compileTemplate('值{{constructor}}');

    // Act / Assert
    expect(() => t.render({})).toThrow(expect.objectContaining({ field: 'constructor' }));
    expect(t.render({ constructor: 'C' })).toBe('值C');
  });

  it('when a variable shares a name with a handlebars built-in helper, then the data value is printed', () => {
    const t = compileTemplate('{{log}}-{{lookup}}-{{if}}');
    expect(t.render({ log: 'a', lookup: 'b', if: 'c' })).toBe('a-b-c');
  });

  it('when a value is 0 or false, then it is rendered rather than treated as missing', () => {
    expect(compileTemplate('{{n}}/{{b}}').render({ n: 0, b: false })).toBe('0/false');
  });

  it.each([
    ['{{#if vip}}尊贵的{{/if}}会员'],
    ['{{> footer}}'],
    ['{{user.name}}'],
    ['{{../name}}'],
    ['{{@index}}'],
    ['{{upper name}}'],
    ['{{name key=1}}'],
  ])('when the body uses logic or paths (%s), then TemplateSyntaxError', (body) => {
    expect(() => compileTemplate(body)).toThrow(TemplateSyntaxError);
  });

  it('when the body does not parse, then TemplateSyntaxError', () => {
    expect(() => compileTemplate('验证码{{code')).toThrow(TemplateSyntaxError);
  });

  it('when the body has a comment and no variables, then it renders as fixed text', () => {
    const t = compileTemplate('【云信科技】系统维护通知{{! reviewed 2024-05 }}');
    expect(t.variables).toEqual([]);
    expect(t.render({})).toBe('【云信科技】系统维护通知');
  });
});

describe('compileTemplate cache', () => {
  it('when the same body is compiled twice, then the cached instance is returned', () => {
    // Act
    const a = compileTemplate('验证码{{code}}');
    const b = compileTemplate('验证码{{code}}');

    // Assert
    expect(b).toBe(a);
    expect(templateCacheSize()).toBe(1);
  });

  it('when more bodies than the cap are compiled, then the cache stays at the cap and drops the oldest', () => {
    // Arrange
    const first = compileTemplate('t0 {{x}}');

    // Act
    for (let i = 1; i <= TEMPLATE_CACHE_LIMIT; i++) compileTemplate(`t${i} {{x}}`);

    // Assert
    expect(templateCacheSize()).toBe(TEMPLATE_CACHE_LIMIT);
    expect(compileTemplate('t0 {{x}}')).not.toBe(first);
  });

  it('when a cached body is used again, then it is kept over older unused ones', () => {
    // Arrange
    const hot = compileTemplate('hot {{x}}');
    for (let i = 0; i < TEMPLATE_CACHE_LIMIT - 1; i++) compileTemplate(`cold${i} {{x}}`);

    // Act: touch hot, then add one more body, which evicts the oldest (cold0, not hot)
    compileTemplate('hot {{x}}');
    compileTemplate('one more {{x}}');

    // Assert
    expect(compileTemplate('hot {{x}}')).toBe(hot);
  });
});
