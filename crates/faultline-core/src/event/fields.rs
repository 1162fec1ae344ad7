//! An event's fields: a handful of string pairs kept sorted by name.
//!
//! `BTreeMap<String, String>` did this before, and it is the map most often built (every event), so
//! its B-tree code was the largest in the wasm module after the parse tree's (17 KB before
//! optimisation). Events carry two to ten fields; a sorted list finds one by binary search as quickly,
//! and its JSON, order, equality and schema are the map's.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Field name → value, sorted by name so reports and snapshots are deterministic.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&String> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut String> {
        self.find(name).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`, returning the value it replaces.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    /// The value of `name`, to be set if it has none (`BTreeMap::entry`'s two uses here).
    pub fn entry(&mut self, name: String) -> Entry<'_> {
        Entry { fields: self, name }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Pairs by name.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &String)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut String> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

/// A field that may not be set yet.
pub struct Entry<'a> {
    fields: &'a mut Fields,
    name: String,
}

impl<'a> Entry<'a> {
    pub fn or_insert(self, value: String) -> &'a mut String {
        self.or_insert_with(|| value)
    }

    pub fn or_insert_with(self, value: impl FnOnce() -> String) -> &'a mut String {
        let i = match self.fields.find(&self.name) {
            Ok(i) => i,
            Err(i) => {
                self.fields.0.insert(i, (self.name, value()));
                i
            }
        };
        &mut self.fields.0[i].1
    }
}

/// Later pairs replace earlier ones of the same name, as in a map.
impl FromIterator<(String, String)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Fields {
        let mut fields = Fields::new();
        fields.extend(pairs);
        fields
    }
}

impl Extend<(String, String)> for Fields {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, pairs: I) {
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Fields {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `fields["name"]`, as on a map: panics when the field is absent (tests read fields this way).
impl std::ops::Index<&str> for Fields {
    type Output = String;

    fn index(&self, name: &str) -> &String {
        match self.get(name) {
            Some(v) => v,
            None => panic!("no field {name:?}"),
        }
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        struct FieldsVisitor;

        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of strings")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Fields, A::Error> {
                let mut fields = Fields::new();
                while let Some((k, v)) = access.next_entry::<String, String>()? {
                    fields.insert(k, v);
                }
                Ok(fields)
            }
        }

        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// The schema of the map it stands for, so the report's schema is unchanged.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Fields {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, String> as schemars::JsonSchema>::schema_name()
    }

    fn inline_schema() -> bool {
        <std::collections::BTreeMap<String, String> as schemars::JsonSchema>::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, String> as schemars::JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::Fields;

    proptest! {
        /// Any sequence of sets, removals and first-sets leaves what a `BTreeMap` would hold, in its
        /// order, and writes and reads the same JSON.
        #[test]
        fn behaves_as_the_map_it_replaced(ops in proptest::collection::vec((0u8..3, "[a-e]{1,2}", "[a-z]{0,3}"), 0..40)) {
            let (mut ours, mut map) = (Fields::new(), BTreeMap::new());
            for (op, k, v) in ops {
                match op {
                    0 => prop_assert_eq!(ours.insert(k.clone(), v.clone()), map.insert(k, v)),
                    1 => prop_assert_eq!(ours.remove(&k), map.remove(&k)),
                    _ => prop_assert_eq!(
                        ours.entry(k.clone()).or_insert_with(|| v.clone()).clone(),
                        map.entry(k).or_insert(v).clone()
                    ),
                }
                prop_assert_eq!(ours.len(), map.len());
            }
            prop_assert!(ours.iter().eq(map.iter()));
            for k in ["a", "b", "ab", "e", "ee", "z"] {
                prop_assert_eq!(ours.get(k), map.get(k));
                prop_assert_eq!(ours.contains_key(k), map.contains_key(k));
            }
            let json = serde_json::to_string(&ours).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&map).unwrap());
            prop_assert_eq!(serde_json::from_str::<Fields>(&json).unwrap(), ours.clone());
            prop_assert_eq!(format!("{ours:?}"), format!("{map:?}"));
            let collected: Fields = map.clone().into_iter().chain([("c".to_string(), "last".to_string())]).collect();
            map.insert("c".into(), "last".into());
            prop_assert!(collected.iter().eq(map.iter()));
        }
    }

    #[test]
    fn duplicate_json_keys_keep_the_last_as_a_map_does() {
        let json = r#"{"b":"1","a":"2","b":"3"}"#;
        let ours: Fields = serde_json::from_str(json).unwrap();
        let map: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
        assert!(ours.iter().eq(map.iter()));
        assert!(serde_json::from_str::<Fields>(r#"{"a":1}"#).is_err());
    }
}
