import { Image, Tooltip } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { displayableImage } from '@fanli/web-common/sanitize.ts';

/**
 * A product image, or — for an external URL, which the CSP would block (a console error
 * on every render) — a placeholder naming the address.
 */
export function ProductImage({
  src,
  size,
  preview = true,
}: {
  src: string;
  size: number;
  preview?: boolean;
}) {
  const { t } = useTranslation();
  if (displayableImage(src))
    return <Image src={src} width={size} height={size} preview={preview} alt="" />;
  return (
    <Tooltip title={`${t('products.externalImage')}: ${src}`}>
      <div className="external-image" style={{ width: size, height: size }}>
        <LinkOutlined />
      </div>
    </Tooltip>
  );
}
