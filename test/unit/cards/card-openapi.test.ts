/**
 * The OpenAPI document's card schemas are the enforced ones: request bodies are the objects the
 * routes validate with, card types are card-schemas/ converted, and the documented examples pass
 * the real validators.
 */
import { describe, expect, it } from 'vitest';
import { CARD_API_SCHEMAS, cardApiValidator, type CardApiSchemaName } from '../../../src/cards/card-api-schemas.js';
import { CARD_TYPES } from '../../../src/cards/card-model.js';
import { cardSchemas } from '../../../src/cards/card-schemas.js';
import { openApiDocument } from '../../../src/http/openapi/index.js';
import { cardComponent } from '../../../src/http/openapi/schemas-cards.js';

type Json = Record<string, any>; // the document is plain JSON
const doc = openApiDocument() as Json;
const components = doc.components.schemas as Json;
const operation = (id: string) => Object.values(doc.paths as Json).flatMap((item) => Object.values(item as Json)).find((op) => (op as Json).operationId === id) as Json;

describe('card schemas in the OpenAPI document', () => {
  it('when the request components are read, then they are the validated schemas (card shown as the Card union)', () => {
    const { card, ...rest } = components.CardTemplateRequest.properties;
    const { card: enforcedCard, ...enforcedRest } = CARD_API_SCHEMAS.CardTemplateRequest.properties;
    expect(rest).toEqual(enforcedRest);
    expect(card).toEqual({ $ref: '#/components/schemas/Card', description: enforcedCard.description });
    for (const name of ['CardPreviewRequest', 'ApproveCardTemplateRequest', 'RejectCardTemplateRequest', 'CardMediaUploadRequest'] as const) {
      expect(components[name], name).toEqual(JSON.parse(JSON.stringify(CARD_API_SCHEMAS[name])));
    }
  });

  it('when Card is read, then it is one branch per card type, each with the type\'s own fields and limits', () => {
    expect(components.Card.oneOf).toEqual(CARD_TYPES.map((t) => ({ $ref: `#/components/schemas/${cardComponent(t)}` })).sort((x, y) => x.$ref.localeCompare(y.$ref)));
    expect(components.CardCoupon.properties.coupon.properties.amount).toEqual({ type: 'string', minLength: 1, maxLength: 16, description: expect.any(String) });
    expect(components.CardButtonText).toMatchObject({ maxLength: 25 });
    expect(components.CardButtons).toMatchObject({ maxItems: 4, items: { $ref: '#/components/schemas/CardButton' } });
    expect(components.CardButton.oneOf).toHaveLength(6);
    expect(components.CardCarousel.properties.cards).toMatchObject({ minItems: 2, maxItems: 10 });
    expect(JSON.stringify(components)).not.toMatch(/"\$id"|"\$defs"|\.json#/);
  });

  it('when the documented request examples are validated, then they pass the route schemas and the card its schema', () => {
    const cases: [string, CardApiSchemaName][] = [
      ['createCardTemplate', 'CardTemplateRequest'], ['replaceCardTemplate', 'CardTemplateRequest'], ['previewCardTemplate', 'CardPreviewRequest'],
      ['approveCardTemplate', 'ApproveCardTemplateRequest'], ['rejectCardTemplate', 'RejectCardTemplateRequest'],
    ];
    for (const [id, schema] of cases) {
      for (const [name, ex] of Object.entries(operation(id).requestBody.content['application/json'].examples as Json)) {
        const value = (ex as Json).value;
        expect(cardApiValidator(schema)(value), `${id} example ${name}`).toBe(true);
        if (value.card) expect(cardSchemas().check(value.card, 'template').ok, `${id} example ${name} card`).toBe(true);
      }
    }
  });

  it('when the upload operation is read, then it takes image bytes as well as base64 JSON', () => {
    expect(Object.keys(operation('uploadCardMedia').requestBody.content).sort()).toEqual(['application/json', 'image/gif', 'image/jpeg', 'image/png', 'image/webp']);
  });
});
