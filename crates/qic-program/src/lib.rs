//! Health care quality-improvement collaboratives as data: programs and their sponsors, cohorts
//! (Learning Networks and Action Communities), the teams that join them and the people on those
//! teams.
//!
//! ```
//! use qic_program::{Lens, Member, Organization, OrganizationKind, Role, Team};
//!
//! let org = Organization::new("Lakeside Community Health", OrganizationKind::CommunityHealthCenter);
//! let team = Team::new("Lakeside", org);
//! let id = team.id;
//! let team = team.with_member(
//!     Member::new(id, "R. Okafor").with_role(Role::DayToDayLead).with_lens(Lens::QualityImprovement),
//! );
//! assert!(team.organization.kind.delivers_health_care());
//! assert!(team.has_role(Role::DayToDayLead));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`ids`]: identifier newtypes (UUIDs; name-based for presets, so they are stable).
//! - [`serde_date`]: dates that read from JSON strings and TOML native dates alike.
//! - [`team`]: organizations and their kinds, teams, members, roles and lenses.
//!
//! # Crate features
//!
//! serde support is always on: it is part of the model, because qic's types are the interchange
//! format.
//!
//! - **schema** (off by default): derives `schemars::JsonSchema` for [`OrganizationKind`],
//!   [`Role`] and [`Lens`], so that crates which put them in a documented input format can publish
//!   its JSON Schema.

pub mod error;
pub mod ids;
pub mod serde_date;
pub mod team;

pub use error::ProgramError;
pub use ids::{CohortId, MemberId, OrganizationId, ProgramId, TeamId};
pub use team::{Lens, Member, Organization, OrganizationKind, Role, Team};
