/** The persistent menu rules (DOMAIN.md §1), each refused with the entry named. */
import { describe, expect, it } from 'vitest';
import { menuToMaap, validateMenu } from '../../../src/channels/rcs/chatbot-menu.js';

const reply = (text: string) => ({ type: 'reply', text });
const fieldsOf = (menu: unknown): string[] => {
  try {
    validateMenu(menu);
  } catch (err) {
    expect(err).toMatchObject({ code: 'RCS_MENU_INVALID', status: 400 });
    return (err as { details: { field: string }[] }).details.map((d) => d.field);
  }
  return [];
};

describe('chatbot menu validation', () => {
  it('when the menu has 3 top entries, one a submenu of 5, labels of 1 and 25 characters, then it is valid', () => {
    const menu = [reply('A'), { text: 'x'.repeat(25), submenu: [1, 2, 3, 4, 5].map((i) => reply(`Item ${i}`)) }, { type: 'openUrl', text: 'Site', url: 'https://acme.example' }];
    expect(fieldsOf(menu)).toEqual([]);
  });

  it('when there are 4 top entries, then `menu` is named', () => {
    expect(fieldsOf([reply('a'), reply('b'), reply('c'), reply('d')])).toEqual(['menu']);
  });

  it('when a submenu has 6 entries, or none, then the submenu is named', () => {
    expect(fieldsOf([reply('a'), { text: 'More', submenu: [1, 2, 3, 4, 5, 6].map((i) => reply(`${i}`)) }])).toEqual(['menu.1.submenu']);
    expect(fieldsOf([{ text: 'Empty', submenu: [] }])).toEqual(['menu.0.submenu']);
  });

  it('when a submenu entry opens another submenu, then the third level is refused', () => {
    expect(fieldsOf([{ text: 'More', submenu: [{ text: 'Deeper', submenu: [reply('x')] }] }])).toEqual(['menu.0.submenu.0.submenu']);
  });

  it('when a label is empty or 26 characters, then its text is named (top entry, folder and submenu entry)', () => {
    expect(fieldsOf([reply(''), { text: 'y'.repeat(26), submenu: [reply('z'.repeat(26))] }])).toEqual(['menu.0.text', 'menu.1.text', 'menu.1.submenu.0.text']);
  });

  it('when an entry is not a valid button, then its field is named', () => {
    expect(fieldsOf([{ type: 'openUrl', text: 'Site', url: 'javascript:alert(1)' }])).toEqual(['menu.0.url']);
    expect(fieldsOf([{ type: 'teleport', text: 'Go' }])).toEqual(['menu.0.type']);
    expect(fieldsOf('not a list')).toEqual(['menu']);
  });

  it('when a valid menu is registered, then it becomes the GSMA persistentMenu with postbacks by place', () => {
    const maap = menuToMaap(validateMenu([{ text: 'Orders', submenu: [reply('Track')] }, { type: 'dial', text: 'Call', phoneNumber: '400-820-8820' }]) );
    expect(maap).toEqual({ menu: { entries: [
      { menu: { displayText: 'Orders', entries: [{ reply: { displayText: 'Track', postback: { data: 'm0.0' } } }] } },
      { action: { displayText: 'Call', postback: { data: 'm1' }, dialerAction: { dialPhoneNumber: { phoneNumber: '4008208820' } } } },
    ] } });
  });
});
