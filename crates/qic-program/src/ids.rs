//! Identifier newtypes.
//!
//! Every entity gets its own type so that a cohort id can never be passed where a team id is
//! expected. Ids are UUIDs: random ones for entities created at run time, name-based (UUID v5)
//! ones for presets, so that a preset gives the same ids on every machine and every run.

/// Defines a UUID newtype with `Display`, `FromStr`, serde (transparent) and constructors.
///
/// Exported so that the other qic crates give their entities ids of the same shape.
///
/// ```
/// qic_program::id_type! {
///     /// Identifies a widget.
///     WidgetId
/// }
/// let a = WidgetId::from_name("widget-1");
/// assert_eq!(a, WidgetId::from_name("widget-1"));
/// assert_eq!(a.to_string().parse::<WidgetId>()?, a);
/// # Ok::<(), uuid::Error>(())
/// ```
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(::uuid::Uuid);

        impl $name {
            /// A new random id.
            pub fn new_random() -> Self {
                Self(::uuid::Uuid::new_v4())
            }

            /// A stable id derived from a name (UUID v5 in a namespace per id type), so that
            /// the same name gives the same id on every run.
            pub fn from_name(name: &str) -> Self {
                let namespace = ::uuid::Uuid::new_v5(
                    &::uuid::Uuid::NAMESPACE_URL,
                    concat!("urn:qic:", stringify!($name)).as_bytes(),
                );
                Self(::uuid::Uuid::new_v5(&namespace, name.as_bytes()))
            }

            /// Wraps an existing UUID.
            pub const fn from_uuid(uuid: ::uuid::Uuid) -> Self {
                Self(uuid)
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> &::uuid::Uuid {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::uuid::Error;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    };
}

id_type! {
    /// Identifies a program.
    ProgramId
}

id_type! {
    /// Identifies a cohort within a program.
    CohortId
}

id_type! {
    /// Identifies a team (one organization's core team in one cohort).
    TeamId
}

id_type! {
    /// Identifies an organization that sends a team.
    OrganizationId
}

id_type! {
    /// Identifies a person on a team.
    MemberId
}

id_type! {
    /// Identifies a team's project.
    ProjectId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_based_ids_are_stable_and_distinct_per_type() {
        let team = TeamId::from_name("north");
        assert_eq!(team, TeamId::from_name("north"));
        assert_ne!(team, TeamId::from_name("south"));
        // The same name in another id type gives another UUID.
        assert_ne!(team.as_uuid(), CohortId::from_name("north").as_uuid());
    }

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = ProgramId::new_random();
        assert_eq!(id.to_string().parse::<ProgramId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<ProgramId>(&json).unwrap(), id);
    }
}
