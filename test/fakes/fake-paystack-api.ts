// A stand-in for Paystack's API over real HTTP: verify a transaction, fetch a transfer, as Paystack answers them.
import { FakeVendorApi, VendorAnswer, VendorRequest } from './fake-vendor-api';

/** What Paystack knows of a charge or a transfer; amounts in subunits, as its API sends them. */
export interface PaystackRecord {
  readonly amount: number;
  readonly currency: string;
  readonly status: string;
  /** A transfer's reference (a charge's is its key). */
  readonly reference?: string;
}

export class FakePaystackApi {
  /** Charges by reference, transfers by transfer code. */
  readonly charges = new Map<string, PaystackRecord>();
  readonly transfers = new Map<string, PaystackRecord>();
  /** When set, every call is answered this way instead (a 5xx, a hang, a dropped connection). */
  outage: VendorAnswer | undefined;
  private readonly api = new FakeVendorApi((request) => this.answer(request));

  constructor(private readonly secretKey: string) {}

  get url(): string {
    return this.api.url;
  }

  get requests(): readonly VendorRequest[] {
    return this.api.requests;
  }

  async start(): Promise<this> {
    await this.api.start();
    return this;
  }

  /** Connections are refused until `start()` again (same port). */
  stop(): Promise<void> {
    return this.api.stop();
  }

  private answer(request: VendorRequest): VendorAnswer {
    if (request.headers.authorization !== `Bearer ${this.secretKey}`) return { status: 401, body: { status: false, message: 'Invalid key' } };
    if (this.outage) return this.outage;
    const charge = /^\/transaction\/verify\/([^/?]+)$/.exec(request.path);
    if (request.method === 'GET' && charge) {
      const reference = decodeURIComponent(charge[1]!);
      const record = this.charges.get(reference);
      if (!record) return { status: 400, body: { status: false, message: 'Transaction reference not found' } };
      return { status: 200, body: { status: true, message: 'Verification successful', data: { id: 2009945086, domain: 'test', reference, gateway_response: 'Successful', channel: 'card', ...record } } };
    }
    const transfer = /^\/transfer\/([^/?]+)$/.exec(request.path);
    if (request.method === 'GET' && transfer) {
      const code = decodeURIComponent(transfer[1]!);
      const record = this.transfers.get(code);
      if (!record) return { status: 404, body: { status: false, message: 'Transfer not found' } };
      return { status: 200, body: { status: true, message: 'Transfer retrieved', data: { id: 860670817, domain: 'test', transfer_code: code, source: 'balance', ...record } } };
    }
    return { status: 404, body: { status: false, message: 'Not found' } };
  }
}
