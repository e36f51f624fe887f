//! The engine the server answers from: one screening index over the current version of every
//! list, the versions it was built from, and per-entity dates; and the hot reload that replaces
//! it without a moment where a request could see a half-built index.
//!
//! An [`Engine`] is immutable once built. [`EngineCell`] holds the current one behind an
//! `ArcSwap`: a request takes a snapshot (`Arc<Engine>`) at its start and keeps using it even if
//! a reload swaps in a new engine meanwhile. A reload reads the store's `CURRENT` pointers
//! (cheap: manifests only), and only when a list's version changed does it load the lists and
//! build a new index, on a blocking thread, off the request path; then it swaps the pointer in
//! one atomic store. A failed reload keeps the old engine and is logged.
//!
//! Index loading lives here (not in the CLI) so that `dualtrace serve` and future front ends
//! share one function; the CLI's `screen` keeps its own loader with progress display.

use arc_swap::ArcSwap;
use dualtrace_lists::store::{Manifest, Store, StoreError};
use dualtrace_matching::Index;
use dualtrace_model::Entity;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// How many earlier versions of a list are read to date an entity's first appearance and last
/// change (older history is summarised as "at or before the oldest version read").
pub const HISTORY_DEPTH: usize = 8;

/// The current version of one list, as the engine loaded it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ListVersion {
    /// The list name (also the dataset name in the yente API).
    pub name: String,
    /// The version number.
    pub version: u64,
    /// The version's content hash (SHA-256 of its canonical entity lines).
    pub hash: String,
    /// When the version was imported (RFC 3339).
    pub imported_at: String,
    /// The import format.
    pub format: String,
    /// Entities in the version.
    pub entities: usize,
    /// Entities by schema.
    pub by_schema: BTreeMap<String, usize>,
}

impl From<&Manifest> for ListVersion {
    fn from(m: &Manifest) -> Self {
        ListVersion {
            name: m.list.clone(),
            version: m.version,
            hash: m.hash.clone(),
            imported_at: m.imported_at.clone(),
            format: m.format.clone(),
            entities: m.entities,
            by_schema: m.by_schema.clone(),
        }
    }
}

/// When an entity was first seen and last changed, by the import times of list versions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntityDates {
    /// Import time of the earliest version (of those read) that has the entity.
    pub first_seen: String,
    /// Import time of the earliest version (of those read) with its current content.
    pub last_change: String,
    /// Import time of the current version.
    pub last_seen: String,
}

/// The index over the current lists, with their versions. Immutable.
#[derive(Debug)]
pub struct Engine {
    /// The screening index (entities in load order).
    pub index: Index,
    /// The list versions the index holds, sorted by name.
    pub lists: Vec<ListVersion>,
    by_id: HashMap<String, usize>,
    dates: HashMap<String, EntityDates>,
    /// When this engine was built (RFC 3339).
    pub built_at: String,
}

/// The `(list, version, hash)` triples that identify what an engine was built from.
pub type Fingerprint = Vec<(String, u64, String)>;

impl Engine {
    /// An engine with no lists (before the first load).
    pub fn empty() -> Engine {
        Engine::from_parts(Vec::new(), Vec::new(), HashMap::new())
    }

    /// Loads the current version of every list in the store and indexes them.
    pub fn load(store: &Store) -> Result<Engine, StoreError> {
        let mut lists = Vec::new();
        let mut entities: Vec<Entity> = Vec::new();
        let mut dates = HashMap::new();
        for name in store.lists()? {
            let (manifest, list_entities) = store.load_current(&name)?;
            dates.extend(date_entities(store, &manifest, &list_entities)?);
            lists.push(ListVersion::from(&manifest));
            entities.extend(list_entities);
        }
        Ok(Engine::from_parts(lists, entities, dates))
    }

    /// Builds an engine from loaded lists (used by [`Engine::load`] and by tests).
    pub fn from_parts(
        mut lists: Vec<ListVersion>,
        entities: Vec<Entity>,
        dates: HashMap<String, EntityDates>,
    ) -> Engine {
        lists.sort_by(|a, b| a.name.cmp(&b.name));
        let index = Index::build(entities);
        let by_id = index
            .entities()
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Engine {
            index,
            lists,
            by_id,
            dates,
            built_at: jiff::Timestamp::now().to_string(),
        }
    }

    /// What the engine was built from.
    pub fn fingerprint(&self) -> Fingerprint {
        self.lists
            .iter()
            .map(|l| (l.name.clone(), l.version, l.hash.clone()))
            .collect()
    }

    /// An entity by id, with its position in the index.
    pub fn entity(&self, id: &str) -> Option<(usize, &Entity)> {
        let i = *self.by_id.get(id)?;
        self.index.entity(i).map(|e| (i, e))
    }

    /// The dates of an entity, when known.
    pub fn dates(&self, id: &str) -> Option<&EntityDates> {
        self.dates.get(id)
    }

    /// A loaded list by name.
    pub fn list(&self, name: &str) -> Option<&ListVersion> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// The list an entity came from (its provenance, else its first dataset).
    pub fn source_list<'a>(&self, entity: &'a Entity) -> Option<&'a str> {
        entity
            .provenance
            .as_ref()
            .map(|p| p.list.as_str())
            .or_else(|| entity.datasets.first().map(String::as_str))
    }
}

/// The store's current `(list, version, hash)` triples, read from the manifests only.
pub fn current_fingerprint(store: &Store) -> Result<Fingerprint, StoreError> {
    store
        .lists()?
        .into_iter()
        .map(|name| store.current(&name).map(|m| (name, m.version, m.hash)))
        .collect()
}

/// Whether two records of an entity have the same content (schema, properties, datasets).
fn same_content(a: &Entity, b: &Entity) -> bool {
    a.schema == b.schema && a.properties == b.properties && a.datasets == b.datasets
}

/// Dates the entities of a list's current version by walking back through at most
/// [`HISTORY_DEPTH`] earlier versions.
fn date_entities(
    store: &Store,
    current: &Manifest,
    entities: &[Entity],
) -> Result<HashMap<String, EntityDates>, StoreError> {
    let mut dates: HashMap<String, EntityDates> = entities
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                EntityDates {
                    first_seen: current.imported_at.clone(),
                    last_change: current.imported_at.clone(),
                    last_seen: current.imported_at.clone(),
                },
            )
        })
        .collect();
    // Entities still present (and still unchanged) in every version walked so far.
    let mut present: HashMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut unchanged: HashMap<&str, &Entity> = present.clone();
    let mut older: Vec<u64> = store
        .versions(&current.list)?
        .into_iter()
        .filter(|v| *v < current.version)
        .collect();
    older.sort_unstable_by(|a, b| b.cmp(a));
    for version in older.into_iter().take(HISTORY_DEPTH) {
        if present.is_empty() {
            break;
        }
        let manifest = store.manifest(&current.list, version)?;
        let previous: HashMap<String, Entity> = store
            .load(&current.list, version)?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        present.retain(|id, _| previous.contains_key(*id));
        unchanged.retain(|id, e| previous.get(*id).is_some_and(|p| same_content(p, e)));
        for id in present.keys() {
            if let Some(d) = dates.get_mut(*id) {
                d.first_seen = manifest.imported_at.clone();
            }
        }
        for id in unchanged.keys() {
            if let Some(d) = dates.get_mut(*id) {
                d.last_change = manifest.imported_at.clone();
            }
        }
    }
    Ok(dates)
}

/// The current engine, swapped atomically on reload, and the state of loading.
#[derive(Debug)]
pub struct EngineCell {
    current: ArcSwap<Engine>,
    ready: AtomicBool,
    reloads: AtomicU64,
    failures: AtomicU64,
    reloading: Mutex<()>,
}

/// What a reload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// The store's versions equal the engine's: nothing was built.
    Unchanged,
    /// A new engine was built and swapped in.
    Swapped,
}

impl Default for EngineCell {
    fn default() -> Self {
        EngineCell::new(Engine::empty(), false)
    }
}

impl EngineCell {
    /// A cell holding an engine; `ready` says whether it holds the lists yet.
    pub fn new(engine: Engine, ready: bool) -> EngineCell {
        EngineCell {
            current: ArcSwap::from_pointee(engine),
            ready: AtomicBool::new(ready),
            reloads: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            reloading: Mutex::new(()),
        }
    }

    /// A snapshot of the current engine (stays valid across swaps).
    pub fn snapshot(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// Whether the lists have been loaded at least once.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Successful swaps since start.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Failed reloads since start.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Replaces the engine (one atomic pointer store) and marks the cell ready.
    pub fn swap(&self, engine: Engine) {
        self.current.store(Arc::new(engine));
        self.ready.store(true, Ordering::Release);
        self.reloads.fetch_add(1, Ordering::Relaxed);
    }

    /// Builds a new engine when the store's current versions differ from the engine's (or
    /// when the cell is not ready yet), then swaps it in. Blocking: call it off the async
    /// runtime. Concurrent calls are serialised; a failure keeps the current engine.
    pub fn reload(&self, store: &Store) -> Result<Reload, StoreError> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|p| p.into_inner());
        let result = self.reload_locked(store);
        if result.is_err() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    fn reload_locked(&self, store: &Store) -> Result<Reload, StoreError> {
        let wanted = current_fingerprint(store)?;
        if self.is_ready() && wanted == self.snapshot().fingerprint() {
            return Ok(Reload::Unchanged);
        }
        let engine = Engine::load(store)?;
        tracing::info!(
            lists = engine.lists.len(),
            entities = engine.index.len(),
            "engine loaded"
        );
        self.swap(engine);
        Ok(Reload::Swapped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dualtrace_lists::ParsedList;
    use dualtrace_model::{Property, Schema};

    fn parsed(names: &[(&str, &str)]) -> ParsedList {
        let entities = names
            .iter()
            .map(|(id, name)| {
                let mut e = Entity::new(*id, Schema::Company).with_source("test_list", *id);
                e.add(Property::Name, name).ok();
                e
            })
            .collect();
        ParsedList {
            entities,
            records: names.len(),
            warnings: Vec::new(),
        }
    }

    fn commit(store: &Store, names: &[(&str, &str)]) {
        store
            .commit("test_list", "ftm-json", &parsed(names), Vec::new(), true)
            .expect("commit");
    }

    #[test]
    fn reload_swaps_only_when_a_version_changes_and_dates_entities() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("store");
        commit(
            &store,
            &[("t-1", "Fictional Alpha Works"), ("t-2", "Beta Foundry")],
        );
        let cell = EngineCell::default();
        assert!(!cell.is_ready());
        assert_eq!(cell.reload(&store).expect("reload"), Reload::Swapped);
        assert!(cell.is_ready());
        assert_eq!(cell.reload(&store).expect("reload"), Reload::Unchanged);
        let first = cell.snapshot();
        assert_eq!(first.index.len(), 2);
        std::thread::sleep(std::time::Duration::from_millis(5));
        commit(
            &store,
            &[
                ("t-1", "Fictional Alpha Works"),
                ("t-2", "Beta Foundry Renamed"),
                ("t-3", "Gamma Optics"),
            ],
        );
        assert_eq!(cell.reload(&store).expect("reload"), Reload::Swapped);
        let second = cell.snapshot();
        assert_eq!(second.index.len(), 3);
        assert_eq!(second.lists[0].version, 2);
        // The old snapshot is untouched by the swap.
        assert_eq!(first.index.len(), 2);
        let v1 = store.manifest("test_list", 1).expect("v1").imported_at;
        let v2 = store.manifest("test_list", 2).expect("v2").imported_at;
        let unchanged = second.dates("t-1").expect("t-1");
        assert_eq!(
            (
                unchanged.first_seen.as_str(),
                unchanged.last_change.as_str()
            ),
            (v1.as_str(), v1.as_str())
        );
        let changed = second.dates("t-2").expect("t-2");
        assert_eq!(
            (changed.first_seen.as_str(), changed.last_change.as_str()),
            (v1.as_str(), v2.as_str())
        );
        let added = second.dates("t-3").expect("t-3");
        assert_eq!(added.first_seen, v2);
        assert_eq!(cell.reloads(), 2);
    }
}
