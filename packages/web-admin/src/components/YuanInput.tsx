import { useEffect, useState, type CSSProperties } from 'react';
import { Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { parseYuanToFen } from '../money.ts';

/** fen → the yuan text a person would type ("12.30"), by integer arithmetic only. */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isSafeInteger(fen)) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface YuanInputProps {
  /** Amount in fen; null when empty (only for nullable amounts). */
  value?: number | null;
  onChange?: (fen: number | null) => void;
  /** Reports whether the text typed is not an amount (so the owner can refuse to save). */
  onInvalid?: (invalid: boolean) => void;
  nullable?: boolean;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  style?: CSSProperties;
}

/**
 * A yuan amount typed as text and turned into integer fen by parsing the string
 * (`parseYuanToFen`), never through a float: "0.29" is 29 fen, not 28.999….
 */
export function YuanInput({
  value,
  onChange,
  onInvalid,
  nullable,
  placeholder,
  disabled,
  id,
  style,
  ...rest
}: YuanInputProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => fenToYuanText(value));
  const [bad, setBad] = useState(false);

  // Follow outside changes (reset, another version loaded) unless the text already means it.
  useEffect(() => {
    const parsed = text.trim() === '' ? null : parseYuanToFen(text);
    if (parsed !== (value ?? null)) {
      setText(fenToYuanText(value));
      setBad(false);
    }
  }, [value]);

  const change = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      const ok = Boolean(nullable);
      setBad(!ok);
      onInvalid?.(!ok);
      if (ok) onChange?.(null);
      return;
    }
    const fen = parseYuanToFen(next);
    const ok = fen !== null && fen >= 0;
    setBad(!ok);
    onInvalid?.(!ok);
    if (ok) onChange?.(fen);
  };

  return (
    <Input
      id={id}
      aria-label={rest['aria-label']}
      prefix="¥"
      value={text}
      disabled={disabled}
      inputMode="decimal"
      placeholder={placeholder ?? (nullable ? t('money.unlimited') : '0.00')}
      status={bad ? 'error' : undefined}
      title={bad ? t('money.invalid') : undefined}
      onChange={(e) => change(e.target.value)}
      style={style}
    />
  );
}
