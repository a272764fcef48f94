//! The Free Tier API's figures beside the billing files', offer by offer.

use rust_decimal::Decimal;

use super::offers::{console_only, grade};
use crate::catalog::{Catalog, Offer, OfferKind, Pool};
use crate::report::{ApiFigures, Note, OfferUsage};

/// Usage gaps smaller than this share of the limit are rounding, not news.
const API_TOLERANCE_PERCENT: u32 = 1;

/// Puts the Free Tier API's figures beside the billing files', offer by offer.
/// The API's limit wins over the catalogue's (AWS states it for this account).
pub(super) fn merge_api(
    catalog: &Catalog,
    offers: &mut Vec<OfferUsage>,
    api: &crate::api::ApiSnapshot,
    notes: &mut Vec<Note>,
) {
    for usage in &api.usages {
        let figures = ApiFigures {
            actual: usage.actual,
            forecast: usage.forecast,
            limit: usage.limit,
            unit: usage.unit.clone(),
            usage_type: usage.usage_type.clone(),
            free_tier_type: usage.free_tier_type.clone(),
        };
        let Some(offer) = catalog.offer_for_api_usage(&usage.service, &usage.usage_type) else {
            notes.push(Note::ApiUnknownOffer {
                usage_type: usage.usage_type.clone(),
                description: usage.description.clone(),
            });
            offers.push(api_only_offer(None, usage, figures));
            continue;
        };
        let region = (offer.pool == Pool::PerRegion).then(|| usage.region.clone());
        match offers
            .iter_mut()
            .find(|o| o.id == offer.id && (region.is_none() || o.region == region))
        {
            Some(existing) => attach_api(existing, figures, notes),
            None => offers.push(api_only_offer(Some(offer), usage, figures)),
        }
    }
    offers.sort_by(|a, b| b.percent.cmp(&a.percent).then_with(|| a.id.cmp(&b.id)));
}

fn attach_api(offer: &mut OfferUsage, figures: ApiFigures, notes: &mut Vec<Note>) {
    if figures.limit > Decimal::ZERO && figures.limit != offer.limit {
        notes.push(Note::ApiLimitDiffers {
            offer: offer.id.clone(),
            api_limit: figures.limit,
            catalog_limit: offer.limit,
            unit: offer.unit.clone(),
        });
        offer.limit = figures.limit;
        offer.remaining = (offer.limit - offer.used).max(Decimal::ZERO);
        (offer.percent, offer.status) = grade(offer.used, offer.forecast, offer.limit);
    }
    let tolerance = offer.limit * Decimal::from(API_TOLERANCE_PERCENT) / Decimal::ONE_HUNDRED;
    if (figures.actual - offer.used).abs() > tolerance {
        notes.push(Note::ApiDiffers {
            offer: offer.id.clone(),
            api_actual: figures.actual,
            bill_used: offer.used,
            unit: offer.unit.clone(),
        });
    }
    offer.api = Some(figures);
}

fn api_only_offer(
    offer: Option<&Offer>,
    usage: &crate::api::ApiUsage,
    figures: ApiFigures,
) -> OfferUsage {
    let (percent, status) = grade(usage.actual, usage.forecast, usage.limit);
    let kind = offer
        .map(|o| o.kind)
        .unwrap_or(match usage.free_tier_type.as_str() {
            "12 Months Free" => OfferKind::TwelveMonth,
            "Always Free" => OfferKind::AlwaysFree,
            _ => OfferKind::Trial,
        });
    let fallback_name = crate::catalog::Text {
        en: usage.description.clone(),
        ko: usage.description.clone(),
    };
    OfferUsage {
        id: offer.map_or_else(|| format!("api:{}", usage.usage_type), |o| o.id.clone()),
        service: offer.map_or_else(|| usage.service.clone(), |o| o.service.clone()),
        name: offer.map_or(fallback_name, |o| o.name.clone()),
        kind,
        pool: offer.map_or(Pool::Global, |o| o.pool),
        region: offer
            .filter(|o| o.pool == Pool::PerRegion)
            .map(|_| usage.region.clone()),
        unit: offer.map_or_else(|| usage.unit.clone(), |o| o.unit.clone()),
        limit: usage.limit,
        used: usage.actual,
        free_on_bill: Decimal::ZERO,
        charged_quantity: Decimal::ZERO,
        charged_cost: Decimal::ZERO,
        remaining: (usage.limit - usage.actual).max(Decimal::ZERO),
        percent,
        status,
        forecast: usage.forecast,
        hourly_rate: Decimal::ZERO,
        crossed_at: None,
        will_cross_at: None,
        resources: Vec::new(),
        accounts: Vec::new(),
        bill_only: false,
        action: offer.map(|o| console_only(&o.action)),
        in_bill: false,
        api: Some(figures),
    }
}
