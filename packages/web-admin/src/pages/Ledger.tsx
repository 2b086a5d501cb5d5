import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText, get } from '../api.ts';
import { formatFen } from '../money.ts';
import type { LedgerReport } from '../types.ts';

import { AdjustmentForm } from '../components/AdjustmentForm.tsx';

function VerifyCard() {
  const { t } = useTranslation();
  const [report, setReport] = useState<LedgerReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await get<LedgerReport>('/api/v1/admin/ledger/verify'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('ledger.verifyTitle')}>
      <p className="muted">{t('ledger.verifyHint')}</p>
      <Button icon={<SafetyCertificateOutlined />} onClick={() => void run()} loading={busy}>
        {t('ledger.verify')}
      </Button>
      {error && <Alert type="error" showIcon title={error} className="mt" />}
      {report && (
        <div className="mt" data-testid="ledger-report">
          <Alert
            type={report.balanced ? 'success' : 'error'}
            showIcon
            title={report.balanced ? t('ledger.balanced') : t('ledger.unbalanced')}
            className="mb"
          />
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('ledger.transfers')}>{report.transfers}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.mismatched')}>
              {report.mismatchedAccounts.length ? report.mismatchedAccounts.join(', ') : '0'}
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.overdrawn')}>
              {report.overdrawnAccounts.length ? report.overdrawnAccounts.join(', ') : '0'}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="asset"
            pagination={false}
            dataSource={report.assets}
            columns={[
              {
                title: t('ledger.asset'),
                dataIndex: 'asset',
                render: (a: string) => t(`asset.${a}`, { defaultValue: a }),
              },
              {
                title: t('ledger.postedSum'),
                dataIndex: 'postedSum',
                render: (v: number) => <Tag color={v === 0 ? 'green' : 'red'}>{v}</Tag>,
              },
              {
                title: t('ledger.pendingSum'),
                dataIndex: 'pendingSum',
                render: (v: number) => <Tag color={v === 0 ? 'green' : 'red'}>{v}</Tag>,
              },
            ]}
          />
        </div>
      )}
    </Card>
  );
}

export default function Ledger() {
  const { t } = useTranslation();
  return (
    <div>
      <Space className="toolbar">
        <Typography.Title level={3} className="page-title">
          {t('nav.ledger')}
        </Typography.Title>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('ledger.adjustTitle')}>
            <p className="muted">{t('ledger.adjustHint', { example: formatFen(1000) })}</p>
            <AdjustmentForm />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <VerifyCard />
        </Col>
      </Row>
    </div>
  );
}
