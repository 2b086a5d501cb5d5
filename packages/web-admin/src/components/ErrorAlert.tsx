import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** An error in words (the API's message), with a retry when it makes sense. */
export function ErrorAlert({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={message}
      className="mb"
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
