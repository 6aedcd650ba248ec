import { describe, expectTypeOf, it } from 'vitest';
import type { Connection } from '../../src/core/index.js';
import {
  createCodatWebhookHandler,
  type CodatClientRateLimitWebhookPayload,
  type CodatCompanyProductWebhookPayload,
  type CodatDataTypeWriteWebhookPayload,
  type CodatReadCompletedWebhookPayload,
  type CodatWebhookCompany,
  type CodatWebhookCompanyReference,
  type CodatWebhookDelivery,
  type CodatWebhookEvent,
  type UnknownCodatWebhookEvent,
} from '../../src/server/index.js';

describe('Codat webhook events narrow on eventType', () => {
  it('types each handler in `on` with its own event', () => {
    createCodatWebhookHandler({
      secret: undefined,
      on: {
        'connection.connected': (event, delivery) => {
          expectTypeOf(event.eventType).toEqualTypeOf<'connection.connected'>();
          expectTypeOf(event.payload.connection).toEqualTypeOf<Connection>();
          expectTypeOf(event.payload.referenceCompany).toEqualTypeOf<CodatWebhookCompanyReference>();
          expectTypeOf(event.payload.referenceCompany.id).toEqualTypeOf<string>();
          expectTypeOf(delivery).toEqualTypeOf<CodatWebhookDelivery>();
        },
        'company.created': (event) => {
          expectTypeOf(event.payload).toEqualTypeOf<CodatWebhookCompany>();
          expectTypeOf(event.payload.name).toEqualTypeOf<string>();
        },
        'company.product.added': (event) => expectTypeOf(event.payload).toEqualTypeOf<CodatCompanyProductWebhookPayload>(),
        'read.completed.initial': (event) => expectTypeOf(event.payload).toEqualTypeOf<CodatReadCompletedWebhookPayload>(),
        'client.rateLimit.reached': (event) => expectTypeOf(event.payload).toEqualTypeOf<CodatClientRateLimitWebhookPayload>(),
        'bills.write.unsuccessful': (event) => {
          expectTypeOf(event.eventType).toEqualTypeOf<`${string}.write.unsuccessful`>();
          expectTypeOf(event.dataType).toEqualTypeOf<string>();
          expectTypeOf(event.payload).toEqualTypeOf<CodatDataTypeWriteWebhookPayload>();
        },
      },
      onUnknownEvent: (event) => {
        expectTypeOf(event).toEqualTypeOf<UnknownCodatWebhookEvent>();
        expectTypeOf(event.payload).toBeUnknown();
      },
    });
  });

  it('narrows the union onEvent receives with a switch on eventType', () => {
    const event = {} as CodatWebhookEvent;
    switch (event.eventType) {
      case 'connection.disconnected':
        expectTypeOf(event.payload.connection).toEqualTypeOf<Connection>();
        break;
      case 'company.deleted':
        expectTypeOf(event.payload.id).toEqualTypeOf<string>();
        break;
      case 'invoices.write.successful':
        expectTypeOf(event.payload).toEqualTypeOf<CodatDataTypeWriteWebhookPayload>();
        break;
    }
  });

  it('refuses a handler key that is not a Codat event type', () => {
    createCodatWebhookHandler({
      secret: undefined,
      on: {
        // @ts-expect-error: no such event type
        'connection.linked': () => undefined,
      },
    });
  });
});
