// LineItem: the GraphQL view over a line-item row (product, variant, prices,
// discount allocations).
import { decimalFromMinor, moneyBag, moneyV2 } from "../../money";
import { LINE_ITEM_ID_BASE } from "../../store";
import type { ViewContext } from "../common";

export class LineItemView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _order: number,
    private readonly _j: number,
    private readonly _application: unknown,
  ) {}
  private get _s() {
    return this._ctx.shop.store;
  }
  get __typename() {
    return "LineItem";
  }
  private get _product() {
    return this._s.products[this._s.l.product[this._j]];
  }
  private _money(cents: number) {
    return moneyBag(cents, this._ctx.shop.settings.currency);
  }
  get id() {
    return this._ctx.shop.ids.gid("LineItem", LINE_ITEM_ID_BASE + this._j);
  }
  get name() {
    return this._product.title;
  }
  get title() {
    return this._product.title;
  }
  get sku() {
    return this._product.sku;
  }
  get vendor() {
    return this._product.vendor;
  }
  get variantTitle() {
    return null;
  }
  get quantity() {
    return this._s.l.quantity[this._j];
  }
  get currentQuantity() {
    return this._s.l.currentQuantity[this._j];
  }
  get refundableQuantity() {
    return this._s.l.currentQuantity[this._j];
  }
  get requiresShipping() {
    return true;
  }
  get taxable() {
    return true;
  }
  get isGiftCard() {
    return false;
  }
  get product() {
    const p = this._product;
    return {
      id: this._ctx.shop.ids.gid("Product", p.id),
      legacyResourceId: this._ctx.shop.ids.text(p.id),
      title: p.title,
      productType: p.productType,
      vendor: p.vendor,
      handle: p.sku.toLowerCase(),
    };
  }
  get variant() {
    const p = this._product;
    return {
      id: this._ctx.shop.ids.gid("ProductVariant", p.variantId),
      legacyResourceId: this._ctx.shop.ids.text(p.variantId),
      title: "Default Title",
      displayName: `${p.title} - Default Title`,
      sku: p.sku,
      price: decimalFromMinor(this._s.l.unitPriceMinor[this._j], this._ctx.shop.settings.currency),
      product: this.product,
    };
  }
  get originalUnitPriceSet() {
    return this._money(this._s.l.unitPriceMinor[this._j]);
  }
  get discountedUnitPriceSet() {
    const q = this._s.l.quantity[this._j];
    return this._money(this._s.l.unitPriceMinor[this._j] - (q > 0 ? this._s.l.discountMinor[this._j] / q : 0));
  }
  get discountedUnitPriceAfterAllDiscountsSet() {
    return this.discountedUnitPriceSet;
  }
  get originalTotalSet() {
    return this._money(this._s.l.unitPriceMinor[this._j] * this._s.l.quantity[this._j]);
  }
  discountedTotalSet() {
    return this._money(
      this._s.l.unitPriceMinor[this._j] * this._s.l.quantity[this._j] - this._s.l.discountMinor[this._j],
    );
  }
  get totalDiscountSet() {
    return this._money(this._s.l.discountMinor[this._j]);
  }
  get discountAllocations() {
    const amount = this._s.l.discountMinor[this._j];
    if (!amount || !this._application) return [];
    const cur = this._ctx.shop.settings.currency;
    return [
      {
        allocatedAmountSet: moneyBag(amount, cur),
        allocatedAmount: moneyV2(amount, cur),
        discountApplication: this._application,
      },
    ];
  }
}
