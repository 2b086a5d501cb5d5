/** Sends text messages. Real gateways (Aliyun, Tencent Cloud SMS) plug in behind this. */
export interface SmsProvider {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

/** 13812345678 → 138****5678: what logs and consoles may show of a phone number. */
export const maskPhone = (phone: string) =>
  phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';

/** 【返利】验证码 123456 → 【返利】验证码 ******: what a log may show of a message. */
export const maskDigits = (text: string) => text.replace(/\d{4,}/g, (d) => '*'.repeat(d.length));

/**
 * Prints messages to stdout instead of sending them, with the phone masked and the codes
 * masked too: stdout ends up in log files, and a code there is a key to an account. A
 * developer who wants to read codes sets FANLI_SMS_PRINT_CODES=true.
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';
  constructor(
    private readonly options: {
      printCodes?: boolean;
      write?: (line: string) => void;
    } = {},
  ) {}

  async send(phone: string, text: string): Promise<void> {
    const shown = this.options.printCodes ? text : maskDigits(text);
    const write = this.options.write ?? ((line: string) => process.stdout.write(line));
    write(`[sms to ${maskPhone(phone)}] ${shown}\n`);
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
