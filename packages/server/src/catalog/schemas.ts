import { Type, type Static } from '@sinclair/typebox';

/** Route schemas of the catalog administration (bodies never accept unknown fields). */
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000_00, description: 'fen (分)' });
const Title = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' });
const Subtitle = Type.String({ maxLength: 200 });
const Supplier = Type.String({ minLength: 1, maxLength: 80 });
const DescriptionHtml = Type.String({
  maxLength: 100_000,
  description: 'rich text; sanitized on write (allow-list)',
});
const ImageUrl = Type.String({
  minLength: 1,
  maxLength: 100_000,
  description: 'http(s) URL, /uploads/<sha256>.<ext> or data:image/(png|jpeg|webp|gif);base64',
});
const Images = Type.Array(ImageUrl, { maxItems: 20 });
const NullableId = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);

export const Spec = Type.Record(
  Type.String({ pattern: '^(?=.{1,20}$)\\s*\\S.*$' }),
  Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' }),
  {
    additionalProperties: false,
    maxProperties: 5,
    description:
      'spec name (1–20 characters) → value, e.g. {"颜色":"红","尺码":"L"}; {} for a product without options',
  },
);
export type SpecValue = Static<typeof Spec>;

export const CategoryCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' }),
    parentId: Type.Optional(NullableId),
    sort: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export const CategoryPatch = Type.Partial(CategoryCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type CategoryCreateBody = Static<typeof CategoryCreate>;
export type CategoryPatchBody = Static<typeof CategoryPatch>;

export const SkuCreate = Type.Object(
  {
    spec: Spec,
    priceFen: Fen,
    costFen: Type.Optional(
      Type.Union([Fen, Type.Null()], { description: 'supply price (供货价), staff only' }),
    ),
    stock: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);
export const SkuPatch = Type.Object(
  {
    spec: Type.Optional(Spec),
    priceFen: Type.Optional(Fen),
    costFen: Type.Optional(Type.Union([Fen, Type.Null()])),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'stock changes go through the stock adjustment (atomic delta)',
  },
);
export type SkuCreateBody = Static<typeof SkuCreate>;
export type SkuPatchBody = Static<typeof SkuPatch>;

export const StockAdjust = Type.Object(
  {
    delta: Type.Integer({
      minimum: -100_000_000,
      maximum: 100_000_000,
      not: { const: 0 },
      description: '+ in, − out; stock never goes below 0',
    }),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ProductCreate = Type.Object(
  {
    title: Title,
    subtitle: Type.Optional(Subtitle),
    categoryId: Type.Optional(NullableId),
    storeId: Type.Optional(NullableId),
    supplier: Type.Optional(Type.Union([Supplier, Type.Null()])),
    descriptionHtml: Type.Optional(DescriptionHtml),
    images: Type.Optional(Images),
    onShelf: Type.Optional(Type.Boolean()),
    skus: Type.Array(SkuCreate, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export const ProductPatch = Type.Object(
  {
    title: Type.Optional(Title),
    subtitle: Type.Optional(Subtitle),
    categoryId: Type.Optional(NullableId),
    storeId: Type.Optional(NullableId),
    supplier: Type.Optional(Type.Union([Supplier, Type.Null()])),
    descriptionHtml: Type.Optional(DescriptionHtml),
    images: Type.Optional(Images),
    onShelf: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProductCreateBody = Static<typeof ProductCreate>;
export type ProductPatchBody = Static<typeof ProductPatch>;

export const ShelfBulk = Type.Object(
  {
    ids: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
    }),
    onShelf: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const AdminProductQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  q: Type.Optional(
    Type.String({
      maxLength: 60,
      description: 'title or supplier contains; a number also matches the id',
    }),
  ),
  categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  storeId: Type.Optional(Type.Integer({ minimum: 1 })),
  onShelf: Type.Optional(Type.Boolean()),
  sort: Type.Optional(
    Type.Union(['newest', 'price_asc', 'price_desc', 'sales_desc'].map((s) => Type.Literal(s))),
  ),
});
export type AdminProductQueryValue = Static<typeof AdminProductQuery>;
