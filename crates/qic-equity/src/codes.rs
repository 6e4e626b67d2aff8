//! The vocabularies: race and ethnicity (OMB 1997 and 2024), sexual orientation and gender
//! identity (USCDI), preferred language (BCP 47) and interpreter need.
//!
//! Each dimension has typed reporting categories. A record's answer is either one or more of
//! those categories, or one of four statuses that are kept apart because they mean different
//! things for data quality: **declined** (the patient chose not to answer), **unknown** (the
//! answer is recorded as not known), **missing** (the field is empty) and **unmapped** (there is
//! a value but no mapping turns it into a category). See [`crate::mapping`] for how raw values
//! become categories.
//!
//! # Caveats
//!
//! - The OMB 2024 label for the Pacific Islander category is "Native Hawaiian or Pacific
//!   Islander" (without "Other"), unlike the 1997 label and the CDC code set's display
//!   "Native Hawaiian or Other Pacific Islander". The 2024 label here follows the revised
//!   standard's published list; check it against the Federal Register notice before relying on
//!   the exact wording.
//! - The CDC race and ethnicity code set (CDCREC) has no code for the 2024 category "Middle
//!   Eastern or North African": only its spellings map to it; a local code needs a mapping file.
//! - CDCREC code `2131-1` ("Other Race") is kept as its own category ([`Category::OtherRace`]);
//!   CDC discourages its use in statistics, and it is not an OMB category.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The HL7 OID of the CDC race and ethnicity code set (CDCREC).
pub const CDCREC_OID: &str = "2.16.840.1.113883.6.238";
/// The FHIR system URI of the CDC race and ethnicity code set.
pub const CDCREC_SYSTEM: &str = "urn:oid:2.16.840.1.113883.6.238";
/// The HL7 OID of SNOMED CT, the code system of the USCDI sexual orientation and gender identity
/// answers.
pub const SNOMED_CT_OID: &str = "2.16.840.1.113883.6.96";
/// LOINC code of "Interpreter needed" (the meaning of the US Core interpreter-needed extension).
pub const LOINC_INTERPRETER_NEEDED: &str = "54588-9";

/// A demographic dimension a measure can be stratified by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Race as asked by the OMB 1997 standard (its own question; several races may be chosen).
    Race,
    /// Ethnicity as asked by the OMB 1997 standard (Hispanic or Latino, or not).
    Ethnicity,
    /// The OMB 2024 combined race and ethnicity question (seven categories; select all that
    /// apply).
    RaceEthnicity,
    /// Preferred language (a BCP 47 tag: an ISO 639 language with an optional region).
    PreferredLanguage,
    /// Whether an interpreter is needed (LOINC 54588-9).
    InterpreterNeeded,
    /// Sexual orientation (USCDI; SNOMED CT answers and null flavors).
    SexualOrientation,
    /// Gender identity (USCDI; SNOMED CT answers and null flavors).
    GenderIdentity,
}

impl Dimension {
    /// Every dimension, in reporting order.
    pub const ALL: [Self; 7] = [
        Self::Race,
        Self::Ethnicity,
        Self::RaceEthnicity,
        Self::PreferredLanguage,
        Self::InterpreterNeeded,
        Self::SexualOrientation,
        Self::GenderIdentity,
    ];

    /// The name used in files and on the command line, e.g. `race_ethnicity`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Race => "race",
            Self::Ethnicity => "ethnicity",
            Self::RaceEthnicity => "race_ethnicity",
            Self::PreferredLanguage => "preferred_language",
            Self::InterpreterNeeded => "interpreter_needed",
            Self::SexualOrientation => "sexual_orientation",
            Self::GenderIdentity => "gender_identity",
        }
    }

    /// A label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Race => "Race (OMB 1997)",
            Self::Ethnicity => "Ethnicity (OMB 1997)",
            Self::RaceEthnicity => "Race and ethnicity (OMB 2024)",
            Self::PreferredLanguage => "Preferred language",
            Self::InterpreterNeeded => "Interpreter needed",
            Self::SexualOrientation => "Sexual orientation",
            Self::GenderIdentity => "Gender identity",
        }
    }

    /// Whether a record may hold several answers (race under both OMB standards).
    pub const fn allows_several(self) -> bool {
        matches!(self, Self::Race | Self::RaceEthnicity)
    }

    /// Whether the dimension is part of REAL (race, ethnicity and language) data; the others are
    /// SOGI (sexual orientation and gender identity) data.
    pub const fn is_real(self) -> bool {
        !matches!(self, Self::SexualOrientation | Self::GenderIdentity)
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dimension name that is not one of [`Dimension::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown dimension `{0}` (expected race, ethnicity, race_ethnicity, preferred_language, interpreter_needed, sexual_orientation or gender_identity)"
)]
pub struct UnknownDimension(pub String);

impl FromStr for Dimension {
    type Err = UnknownDimension;

    /// Parses a dimension name; `-` and `_` are interchangeable and case does not matter, and
    /// `language` and `interpreter` are accepted as short forms.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Ok(match key.as_str() {
            "race" => Self::Race,
            "ethnicity" => Self::Ethnicity,
            "race_ethnicity" | "race_and_ethnicity" => Self::RaceEthnicity,
            "preferred_language" | "language" => Self::PreferredLanguage,
            "interpreter_needed" | "interpreter" => Self::InterpreterNeeded,
            "sexual_orientation" => Self::SexualOrientation,
            "gender_identity" => Self::GenderIdentity,
            _ => return Err(UnknownDimension(s.to_owned())),
        })
    }
}

/// The five minimum race categories of the OMB 1997 standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // The variant names are the categories.
pub enum Omb1997Race {
    AmericanIndianOrAlaskaNative,
    Asian,
    BlackOrAfricanAmerican,
    NativeHawaiianOrOtherPacificIslander,
    White,
}

impl Omb1997Race {
    /// The five categories in the standard's order.
    pub const ALL: [Self; 5] = [
        Self::AmericanIndianOrAlaskaNative,
        Self::Asian,
        Self::BlackOrAfricanAmerican,
        Self::NativeHawaiianOrOtherPacificIslander,
        Self::White,
    ];

    /// The CDC race and ethnicity code set (CDCREC) code of the category.
    pub const fn cdcrec(self) -> &'static str {
        match self {
            Self::AmericanIndianOrAlaskaNative => "1002-5",
            Self::Asian => "2028-9",
            Self::BlackOrAfricanAmerican => "2054-5",
            Self::NativeHawaiianOrOtherPacificIslander => "2076-8",
            Self::White => "2106-3",
        }
    }

    /// The standard's label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::AmericanIndianOrAlaskaNative => "American Indian or Alaska Native",
            Self::Asian => "Asian",
            Self::BlackOrAfricanAmerican => "Black or African American",
            Self::NativeHawaiianOrOtherPacificIslander => {
                "Native Hawaiian or Other Pacific Islander"
            }
            Self::White => "White",
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Self::AmericanIndianOrAlaskaNative => "american_indian_or_alaska_native",
            Self::Asian => "asian",
            Self::BlackOrAfricanAmerican => "black_or_african_american",
            Self::NativeHawaiianOrOtherPacificIslander => {
                "native_hawaiian_or_other_pacific_islander"
            }
            Self::White => "white",
        }
    }
}

/// The two ethnicity categories of the OMB 1997 standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // The variant names are the categories.
pub enum Omb1997Ethnicity {
    HispanicOrLatino,
    NotHispanicOrLatino,
}

impl Omb1997Ethnicity {
    /// Both categories.
    pub const ALL: [Self; 2] = [Self::HispanicOrLatino, Self::NotHispanicOrLatino];

    /// The CDCREC code of the category.
    pub const fn cdcrec(self) -> &'static str {
        match self {
            Self::HispanicOrLatino => "2135-2",
            Self::NotHispanicOrLatino => "2186-5",
        }
    }

    /// The standard's label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::HispanicOrLatino => "Hispanic or Latino",
            Self::NotHispanicOrLatino => "Not Hispanic or Latino",
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Self::HispanicOrLatino => "hispanic_or_latino",
            Self::NotHispanicOrLatino => "not_hispanic_or_latino",
        }
    }
}

/// The seven minimum categories of the OMB 2024 combined race and ethnicity question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // The variant names are the categories.
pub enum Omb2024Category {
    AmericanIndianOrAlaskaNative,
    Asian,
    BlackOrAfricanAmerican,
    HispanicOrLatino,
    MiddleEasternOrNorthAfrican,
    NativeHawaiianOrPacificIslander,
    White,
}

impl Omb2024Category {
    /// The seven categories in the standard's (alphabetical) order.
    pub const ALL: [Self; 7] = [
        Self::AmericanIndianOrAlaskaNative,
        Self::Asian,
        Self::BlackOrAfricanAmerican,
        Self::HispanicOrLatino,
        Self::MiddleEasternOrNorthAfrican,
        Self::NativeHawaiianOrPacificIslander,
        Self::White,
    ];

    /// The CDCREC code that carries the category, where there is one (none for Middle Eastern
    /// or North African).
    pub const fn cdcrec(self) -> Option<&'static str> {
        match self {
            Self::AmericanIndianOrAlaskaNative => Some("1002-5"),
            Self::Asian => Some("2028-9"),
            Self::BlackOrAfricanAmerican => Some("2054-5"),
            Self::HispanicOrLatino => Some("2135-2"),
            Self::MiddleEasternOrNorthAfrican => None,
            Self::NativeHawaiianOrPacificIslander => Some("2076-8"),
            Self::White => Some("2106-3"),
        }
    }

    /// The standard's label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::AmericanIndianOrAlaskaNative => "American Indian or Alaska Native",
            Self::Asian => "Asian",
            Self::BlackOrAfricanAmerican => "Black or African American",
            Self::HispanicOrLatino => "Hispanic or Latino",
            Self::MiddleEasternOrNorthAfrican => "Middle Eastern or North African",
            Self::NativeHawaiianOrPacificIslander => "Native Hawaiian or Pacific Islander",
            Self::White => "White",
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Self::AmericanIndianOrAlaskaNative => "american_indian_or_alaska_native",
            Self::Asian => "asian",
            Self::BlackOrAfricanAmerican => "black_or_african_american",
            Self::HispanicOrLatino => "hispanic_or_latino",
            Self::MiddleEasternOrNorthAfrican => "middle_eastern_or_north_african",
            Self::NativeHawaiianOrPacificIslander => "native_hawaiian_or_pacific_islander",
            Self::White => "white",
        }
    }
}

/// Sexual orientation answers as in USCDI (ONC 45 CFR 170.207(o)(1)). "Don't know" (nullFlavor
/// `UNK`) and "choose not to disclose" (nullFlavor `ASKU`) are statuses, not categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SexualOrientation {
    /// Lesbian, gay or homosexual (SNOMED CT 38628009).
    LesbianGayOrHomosexual,
    /// Straight or heterosexual (SNOMED CT 20430005).
    StraightOrHeterosexual,
    /// Bisexual (SNOMED CT 42035005).
    Bisexual,
    /// Something else (nullFlavor `OTH`): an answer, so it counts as usable.
    SomethingElse,
}

impl SexualOrientation {
    /// Every category.
    pub const ALL: [Self; 4] = [
        Self::LesbianGayOrHomosexual,
        Self::StraightOrHeterosexual,
        Self::Bisexual,
        Self::SomethingElse,
    ];

    /// The SNOMED CT code, or the null flavor for "something else".
    pub const fn code_in_standard(self) -> &'static str {
        match self {
            Self::LesbianGayOrHomosexual => "38628009",
            Self::StraightOrHeterosexual => "20430005",
            Self::Bisexual => "42035005",
            Self::SomethingElse => "OTH",
        }
    }

    /// A label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::LesbianGayOrHomosexual => "Lesbian, gay or homosexual",
            Self::StraightOrHeterosexual => "Straight or heterosexual",
            Self::Bisexual => "Bisexual",
            Self::SomethingElse => "Something else",
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Self::LesbianGayOrHomosexual => "lesbian_gay_or_homosexual",
            Self::StraightOrHeterosexual => "straight_or_heterosexual",
            Self::Bisexual => "bisexual",
            Self::SomethingElse => "something_else",
        }
    }
}

/// Gender identity answers as used with USCDI (SNOMED CT codes in US Core and Gender Harmony
/// usage; the exact membership of the USCDI value set is not confirmed, so local codes may need a
/// mapping file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GenderIdentity {
    /// Identifies as male gender (SNOMED CT 446151000124109).
    Male,
    /// Identifies as female gender (SNOMED CT 446141000124107).
    Female,
    /// Transgender man, female-to-male (SNOMED CT 407377005).
    TransgenderMale,
    /// Transgender woman, male-to-female (SNOMED CT 407376001).
    TransgenderFemale,
    /// Identifies as nonbinary gender (SNOMED CT 33791000087105).
    Nonbinary,
    /// Genderqueer or gender non-conforming (SNOMED CT 446131000124102).
    Genderqueer,
    /// An additional gender category (nullFlavor `OTH`): an answer, so it counts as usable.
    Other,
}

impl GenderIdentity {
    /// Every category.
    pub const ALL: [Self; 7] = [
        Self::Male,
        Self::Female,
        Self::TransgenderMale,
        Self::TransgenderFemale,
        Self::Nonbinary,
        Self::Genderqueer,
        Self::Other,
    ];

    /// The SNOMED CT code, or the null flavor for an additional category.
    pub const fn code_in_standard(self) -> &'static str {
        match self {
            Self::Male => "446151000124109",
            Self::Female => "446141000124107",
            Self::TransgenderMale => "407377005",
            Self::TransgenderFemale => "407376001",
            Self::Nonbinary => "33791000087105",
            Self::Genderqueer => "446131000124102",
            Self::Other => "OTH",
        }
    }

    /// A label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Male => "Male",
            Self::Female => "Female",
            Self::TransgenderMale => "Transgender man",
            Self::TransgenderFemale => "Transgender woman",
            Self::Nonbinary => "Nonbinary",
            Self::Genderqueer => "Genderqueer or non-conforming",
            Self::Other => "Additional gender category",
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
            Self::TransgenderMale => "transgender_male",
            Self::TransgenderFemale => "transgender_female",
            Self::Nonbinary => "nonbinary",
            Self::Genderqueer => "genderqueer",
            Self::Other => "other",
        }
    }
}

/// A language tag in the shape US Core's `simple-language` value set allows: an ISO 639
/// language (two letters, or three for languages without a two-letter code) and an optional
/// region (an ISO 3166 two-letter code or a UN M.49 three-digit code). Script, variant and
/// extension subtags are refused. Case is normalized (`EN-us` becomes `en-US`).
///
/// ```
/// use qic_equity::codes::LanguageTag;
///
/// let tag: LanguageTag = "ES-mx".parse()?;
/// assert_eq!(tag.to_string(), "es-MX");
/// assert_eq!(tag.language(), "es");
/// assert!("en-Latn-US".parse::<LanguageTag>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageTag {
    language: String,
    region: Option<String>,
}

/// A string that is not a language tag of the accepted shape (see [`LanguageTag`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a language tag of the form `ll` or `ll-RR` (ISO 639 language, optional region)")]
pub struct InvalidLanguageTag;

impl LanguageTag {
    /// The language subtag, lower case (e.g. `es`).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The region subtag, upper case (e.g. `MX`), if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

impl FromStr for LanguageTag {
    type Err = InvalidLanguageTag;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let mut parts = s.split(['-', '_']);
        let language = parts.next().ok_or(InvalidLanguageTag)?;
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return Err(InvalidLanguageTag);
        }
        let region = match parts.next() {
            None => None,
            Some(r)
                if (r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
                    || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit())) =>
            {
                Some(r.to_ascii_uppercase())
            }
            Some(_) => return Err(InvalidLanguageTag),
        };
        if parts.next().is_some() {
            return Err(InvalidLanguageTag);
        }
        Ok(Self {
            language: language.to_ascii_lowercase(),
            region,
        })
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.language)?;
        if let Some(region) = &self.region {
            write!(f, "-{region}")?;
        }
        Ok(())
    }
}

impl Serialize for LanguageTag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LanguageTag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A reporting category of one of the dimensions.
///
/// [`Category::code`] is the stable spelling used in files and outputs (snake case; a language
/// code for languages); [`Category::label`] is for people.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// An OMB 1997 race.
    Race(Omb1997Race),
    /// CDCREC "Other Race" (`2131-1`): not an OMB category; its use in statistics is discouraged.
    OtherRace,
    /// An OMB 1997 ethnicity.
    Ethnicity(Omb1997Ethnicity),
    /// An OMB 2024 race and ethnicity category.
    RaceEthnicity(Omb2024Category),
    /// Several races (or, for the 2024 question, several categories) chosen, under the
    /// [`MultipleRule::Multiracial`](crate::mapping::MultipleRule) roll-up.
    Multiracial,
    /// A preferred language: the language subtag only (regions are validated, then rolled up, so
    /// that `en` and `en-US` report together).
    Language(String),
    /// Interpreter needed (`true`) or not (`false`).
    InterpreterNeeded(bool),
    /// A sexual orientation.
    SexualOrientation(SexualOrientation),
    /// A gender identity.
    GenderIdentity(GenderIdentity),
}

impl Category {
    /// The stable spelling in files and outputs, e.g. `black_or_african_american`, `es`, `yes`.
    pub fn code(&self) -> &str {
        match self {
            Self::Race(r) => r.code(),
            Self::OtherRace => "other_race",
            Self::Ethnicity(e) => e.code(),
            Self::RaceEthnicity(c) => c.code(),
            Self::Multiracial => "multiracial",
            Self::Language(l) => l,
            Self::InterpreterNeeded(true) => "yes",
            Self::InterpreterNeeded(false) => "no",
            Self::SexualOrientation(s) => s.code(),
            Self::GenderIdentity(g) => g.code(),
        }
    }

    /// A label for people.
    pub fn label(&self) -> &str {
        match self {
            Self::Race(r) => r.label(),
            Self::OtherRace => "Other race (not an OMB category)",
            Self::Ethnicity(e) => e.label(),
            Self::RaceEthnicity(c) => c.label(),
            Self::Multiracial => "Multiracial",
            Self::Language(l) => l,
            Self::InterpreterNeeded(true) => "Interpreter needed",
            Self::InterpreterNeeded(false) => "No interpreter needed",
            Self::SexualOrientation(s) => s.label(),
            Self::GenderIdentity(g) => g.label(),
        }
    }

    /// Whether the category belongs to `dimension`.
    pub fn belongs_to(&self, dimension: Dimension) -> bool {
        match self {
            Self::Race(_) => dimension == Dimension::Race,
            Self::OtherRace | Self::Multiracial => dimension.allows_several(),
            Self::Ethnicity(_) => dimension == Dimension::Ethnicity,
            Self::RaceEthnicity(_) => dimension == Dimension::RaceEthnicity,
            Self::Language(_) => dimension == Dimension::PreferredLanguage,
            Self::InterpreterNeeded(_) => dimension == Dimension::InterpreterNeeded,
            Self::SexualOrientation(_) => dimension == Dimension::SexualOrientation,
            Self::GenderIdentity(_) => dimension == Dimension::GenderIdentity,
        }
    }

    /// The standard categories of a dimension (for the language dimension, none: any valid
    /// language tag is a category).
    pub fn standard(dimension: Dimension) -> Vec<Self> {
        match dimension {
            Dimension::Race => Omb1997Race::ALL
                .into_iter()
                .map(Self::Race)
                .chain([Self::OtherRace, Self::Multiracial])
                .collect(),
            Dimension::Ethnicity => Omb1997Ethnicity::ALL
                .into_iter()
                .map(Self::Ethnicity)
                .collect(),
            Dimension::RaceEthnicity => Omb2024Category::ALL
                .into_iter()
                .map(Self::RaceEthnicity)
                .chain([Self::OtherRace, Self::Multiracial])
                .collect(),
            Dimension::PreferredLanguage => Vec::new(),
            Dimension::InterpreterNeeded => {
                vec![
                    Self::InterpreterNeeded(true),
                    Self::InterpreterNeeded(false),
                ]
            }
            Dimension::SexualOrientation => SexualOrientation::ALL
                .into_iter()
                .map(Self::SexualOrientation)
                .collect(),
            Dimension::GenderIdentity => GenderIdentity::ALL
                .into_iter()
                .map(Self::GenderIdentity)
                .collect(),
        }
    }

    /// The category of `dimension` whose [`code`](Self::code) is `code` (for languages, any
    /// valid tag, rolled up to its language).
    ///
    /// ```
    /// use qic_equity::codes::{Category, Dimension, Omb2024Category};
    ///
    /// assert_eq!(
    ///     Category::from_code(Dimension::RaceEthnicity, "middle_eastern_or_north_african"),
    ///     Some(Category::RaceEthnicity(Omb2024Category::MiddleEasternOrNorthAfrican)),
    /// );
    /// assert_eq!(Category::from_code(Dimension::PreferredLanguage, "ES-mx"), Some(Category::Language("es".into())));
    /// assert_eq!(Category::from_code(Dimension::Ethnicity, "white"), None);
    /// ```
    pub fn from_code(dimension: Dimension, code: &str) -> Option<Self> {
        let code = code.trim();
        if dimension == Dimension::PreferredLanguage {
            return code
                .parse::<LanguageTag>()
                .ok()
                .map(|t| Self::Language(t.language));
        }
        Self::standard(dimension)
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_names_round_trip() {
        for d in Dimension::ALL {
            assert_eq!(d.name().parse::<Dimension>(), Ok(d));
            assert_eq!(d.name().replace('_', "-").parse::<Dimension>(), Ok(d));
        }
        assert!("religion".parse::<Dimension>().is_err());
    }

    #[test]
    fn category_codes_round_trip_within_their_dimension() {
        for d in Dimension::ALL {
            for c in Category::standard(d) {
                assert!(c.belongs_to(d), "{c:?} in {d}");
                assert_eq!(Category::from_code(d, c.code()).as_ref(), Some(&c));
            }
        }
    }

    #[test]
    fn omb_2024_has_seven_categories_and_no_cdcrec_code_for_mena() {
        assert_eq!(Omb2024Category::ALL.len(), 7);
        assert_eq!(Omb2024Category::MiddleEasternOrNorthAfrican.cdcrec(), None);
        assert_eq!(
            Omb2024Category::NativeHawaiianOrPacificIslander.label(),
            "Native Hawaiian or Pacific Islander"
        );
        assert_eq!(Omb1997Race::BlackOrAfricanAmerican.cdcrec(), "2054-5");
    }

    #[test]
    fn language_tags_are_validated_and_normalized() {
        let t: LanguageTag = "en".parse().unwrap();
        assert_eq!((t.language(), t.region()), ("en", None));
        assert_eq!("zh_tw".parse::<LanguageTag>().unwrap().to_string(), "zh-TW");
        assert_eq!(
            "es-419".parse::<LanguageTag>().unwrap().to_string(),
            "es-419"
        );
        assert_eq!("HMN".parse::<LanguageTag>().unwrap().to_string(), "hmn");
        for bad in [
            "", "e", "engl", "en-", "en-USA", "en-Latn", "en-US-x", "e1", "en US",
        ] {
            assert!(bad.parse::<LanguageTag>().is_err(), "{bad}");
        }
    }

    #[test]
    fn language_tags_serialize_as_strings() {
        let t: LanguageTag = "pt-br".parse().unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"pt-BR\"");
        assert_eq!(serde_json::from_str::<LanguageTag>(&json).unwrap(), t);
    }
}
