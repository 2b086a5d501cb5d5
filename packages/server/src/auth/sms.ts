/** Sends text messages. Real gateways (Aliyun, Tencent Cloud SMS) plug in behind this. */
export interface SmsProvider {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

/** 13812345678 → 138****5678: what logs and consoles may show of a phone number. */
export const maskPhone = (phone: string) =>
  phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';

/** Development: prints the message with the phone masked. */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';
  async send(phone: string, text: string): Promise<void> {
    process.stdout.write(`[sms to ${maskPhone(phone)}] ${text}\n`);
  }
}

/** Tests: keeps messages in memory to be read back. */
export class MemorySmsProvider implements SmsProvider {
  readonly name = 'memory';
  readonly sent: { phone: string; text: string }[] = [];
  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone, text });
  }
  /** the last 6-digit code sent to a phone */
  lastCode(phone: string): string | undefined {
    const msg = [...this.sent].reverse().find((m) => m.phone === phone);
    return msg ? /(\d{6})/.exec(msg.text)?.[1] : undefined;
  }
}
