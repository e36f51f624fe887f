//! The dualtrace entity model: FollowTheMoney-compatible entities.
//!
//! Every official list is turned into the same shape before it is stored, indexed or screened:
//! an [`Entity`] with an id, a [`Schema`] (Person, Organization, Company, LegalEntity, Vessel,
//! Aircraft), a bag of multi-valued [`Property`] values and the datasets it came from. This is the
//! entity JSON that OpenSanctions, yente and nomenklatura speak
//! (`{"id","schema","properties":{"name":[..]},"datasets":[..]}`), so any FtM export loads and any
//! dualtrace entity can be handed to FtM tooling.
//!
//! Values stay strings, as in FtM, but they only get in through typed doors: [`PartialDate`]
//! validates dates, [`country`] turns names and codes into ISO 3166-1 alpha-2, and
//! [`Identifier`] gives a typed view of passports, tax numbers, IMO numbers and the like.
//! dualtrace adds one thing FtM keeps elsewhere: [`Provenance`] (which list, which source record),
//! so that a screening result can always say where its evidence came from.

pub mod country;
pub mod date;
pub mod entity;
pub mod identifier;
pub mod property;
pub mod schema;

pub use country::{CountryError, country_code};
pub use date::{DateError, PartialDate};
pub use entity::{Entity, ModelError, NameKind, Provenance};
pub use identifier::{IdKind, Identifier};
pub use property::Property;
pub use schema::Schema;
