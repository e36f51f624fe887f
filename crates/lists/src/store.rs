//! The versioned list store: immutable, content-hashed list versions on local disk.
//!
//! An analyst must be able to say which version of which list a decision used, and a broken
//! download must never cost them the good copy they had. So:
//!
//! * every import becomes a new, numbered, **immutable** version directory holding the
//!   canonical entity JSON lines (sorted by id) and a manifest (hash, import time, source file
//!   hashes, counts); the SHA-256 of `entities.jsonl` *is* the version's content hash, so the
//!   same input always gives the same hash and a version can be verified at any time;
//! * the version is written in a temporary directory, fsynced, then renamed into place, and only
//!   then is the list's `CURRENT` pointer switched (write, fsync, rename, fsync the directory).
//!   A crash at any point leaves the previous version current and readable;
//! * a version that loses more than [`MAX_SHRINK`] of the current version's entities, or has
//!   none, is refused unless forced: a truncated download looks exactly like that;
//! * history is kept; [`Store::rollback`] makes the previous version current again.
//!
//! Layout: `ROOT/lists/NAME/{CURRENT,.lock,versions/N/{manifest.json,entities.jsonl}}`.

use crate::formats::ParsedList;
use dualtrace_model::Entity;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// The largest share of entities a new version may lose against the current one without
/// `force` (20%).
pub const MAX_SHRINK: f64 = 0.20;

const CURRENT: &str = "CURRENT";
const MANIFEST: &str = "manifest.json";
const ENTITIES: &str = "entities.jsonl";

/// A store error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Stored data does not read back as written.
    #[error("{path}: corrupt store data: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The new version lost too many entities.
    #[error(
        "refused: list {list} would shrink from {current} to {new} entities (more than {pct}% lost; a truncated download looks like this). Use --force if the publisher really removed them",
        pct = (MAX_SHRINK * 100.0) as u32
    )]
    Shrink {
        /// The list.
        list: String,
        /// Entities in the current version.
        current: usize,
        /// Entities in the refused version.
        new: usize,
    },
    /// The new version has no entities.
    #[error("refused: the import of list {0} has no entities (use --force to store an empty list)")]
    Empty(String),
    /// No such list.
    #[error("no list named {0:?} in the store")]
    UnknownList(String),
    /// No such version.
    #[error("list {list} has no version {version}")]
    UnknownVersion {
        /// The list.
        list: String,
        /// The version asked for.
        version: u64,
    },
    /// Nothing to roll back to.
    #[error("list {0} has no version before the current one")]
    NoPrevious(String),
    /// A list name that cannot be a directory name.
    #[error("invalid list name {0:?} (use letters, digits, '_' and '-')")]
    BadName(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One source file of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The path or URL it was read from.
    pub path: String,
    /// SHA-256 of its bytes as read.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl SourceFile {
    /// Describes a source from its bytes.
    pub fn from_bytes(path: impl Into<String>, data: &[u8]) -> Self {
        SourceFile {
            path: path.into(),
            sha256: hex::encode(Sha256::digest(data)),
            bytes: data.len() as u64,
        }
    }
}

/// What the store knows of one list version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The list name.
    pub list: String,
    /// The version number (1, 2, ...), increasing with every import that changed the list.
    pub version: u64,
    /// SHA-256 of the canonical entity JSON lines: the content hash.
    pub hash: String,
    /// When it was imported (RFC 3339, UTC).
    pub imported_at: String,
    /// The format it was read from.
    pub format: String,
    /// Number of entities.
    pub entities: usize,
    /// Number of source records read.
    pub records: usize,
    /// Entities by schema.
    pub by_schema: BTreeMap<String, usize>,
    /// The source files.
    pub sources: Vec<SourceFile>,
    /// Values the parser could not use (reported, not fatal).
    pub warnings: Vec<String>,
    /// The dualtrace version that made it.
    pub engine: String,
}

/// The result of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commit {
    /// A new version was stored and made current.
    Created(Manifest),
    /// The content equals the current version: nothing was written.
    Unchanged(Manifest),
}

/// What changed between two versions of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The list.
    pub list: String,
    /// The older version.
    pub from: u64,
    /// The newer version.
    pub to: u64,
    /// Ids only in `to`.
    pub added: Vec<String>,
    /// Ids only in `from`.
    pub removed: Vec<String>,
    /// Ids in both whose content differs, with the fields that differ.
    pub changed: Vec<Changed>,
}

/// One changed entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// The entity id.
    pub id: String,
    /// The fields that differ (`schema`, `datasets` or property names).
    pub fields: Vec<String>,
}

/// The store rooted at a data directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !name.starts_with('-')
}

/// Writes a file and flushes it to disk.
fn write_synced(path: &Path, data: &[u8]) -> Result<(), StoreError> {
    let mut f = File::create(path).map_err(io_err(path))?;
    f.write_all(data).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Flushes a directory entry table to disk (makes renames in it durable).
fn sync_dir(path: &Path) -> Result<(), StoreError> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(io_err(path))
}

/// The canonical JSON lines of a list version (sorted by id) and their SHA-256.
pub fn canonical_lines(entities: &[Entity]) -> (Vec<u8>, String) {
    let mut sorted: Vec<&Entity> = entities.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = Vec::with_capacity(entities.len() * 512);
    for e in sorted {
        out.extend_from_slice(e.canonical_json().as_bytes());
        out.push(b'\n');
    }
    let hash = hex::encode(Sha256::digest(&out));
    (out, hash)
}

/// Counts entities by schema name.
pub fn count_by_schema(entities: &[Entity]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for e in entities {
        *out.entry(e.schema.to_string()).or_insert(0) += 1;
    }
    out
}

impl Store {
    /// Opens (and creates if needed) a store at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<Store, StoreError> {
        let root = root.into();
        let lists = root.join("lists");
        fs::create_dir_all(&lists).map_err(io_err(&lists))?;
        Ok(Store { root })
    }

    /// The data directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn list_dir(&self, list: &str) -> Result<PathBuf, StoreError> {
        if !valid_name(list) {
            return Err(StoreError::BadName(list.to_string()));
        }
        Ok(self.root.join("lists").join(list))
    }

    /// The names of the lists in the store that have a current version, sorted.
    pub fn lists(&self) -> Result<Vec<String>, StoreError> {
        let dir = self.root.join("lists");
        let mut out = Vec::new();
        for entry in fs::read_dir(&dir).map_err(io_err(&dir))? {
            let entry = entry.map_err(io_err(&dir))?;
            let name = entry.file_name().to_string_lossy().to_string();
            if valid_name(&name) && entry.path().join(CURRENT).exists() {
                out.push(name);
            }
        }
        out.sort();
        Ok(out)
    }

    /// The current version number of a list, if it has one.
    pub fn current_version(&self, list: &str) -> Result<Option<u64>, StoreError> {
        let path = self.list_dir(list)?.join(CURRENT);
        match fs::read_to_string(&path) {
            Ok(text) => text
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| StoreError::Corrupt {
                    path,
                    message: format!("CURRENT holds {:?}, not a version number", text.trim()),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io { path, source: e }),
        }
    }

    /// The manifest of the current version of a list.
    pub fn current(&self, list: &str) -> Result<Manifest, StoreError> {
        let v = self
            .current_version(list)?
            .ok_or_else(|| StoreError::UnknownList(list.to_string()))?;
        self.manifest(list, v)
    }

    /// The manifest of one version.
    pub fn manifest(&self, list: &str, version: u64) -> Result<Manifest, StoreError> {
        let path = self
            .list_dir(list)?
            .join("versions")
            .join(version.to_string())
            .join(MANIFEST);
        let text = fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                StoreError::UnknownVersion {
                    list: list.to_string(),
                    version,
                }
            } else {
                StoreError::Io {
                    path: path.clone(),
                    source: e,
                }
            }
        })?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            path,
            message: e.to_string(),
        })
    }

    /// All stored version numbers of a list, ascending.
    pub fn versions(&self, list: &str) -> Result<Vec<u64>, StoreError> {
        let dir = self.list_dir(list)?.join("versions");
        let mut out = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => {
                return Err(StoreError::Io {
                    path: dir,
                    source: e,
                });
            }
        };
        for entry in entries {
            let entry = entry.map_err(io_err(&dir))?;
            if let Ok(v) = entry.file_name().to_string_lossy().parse::<u64>()
                && entry.path().join(MANIFEST).exists()
            {
                out.push(v);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Reads the entities of a version, checks them against its content hash, and stamps
    /// their provenance with the version.
    pub fn load(&self, list: &str, version: u64) -> Result<Vec<Entity>, StoreError> {
        let manifest = self.manifest(list, version)?;
        let path = self
            .list_dir(list)?
            .join("versions")
            .join(version.to_string())
            .join(ENTITIES);
        let file = File::open(&path).map_err(io_err(&path))?;
        let mut hasher = Sha256::new();
        let mut out = Vec::with_capacity(manifest.entities);
        let version_label = version.to_string();
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io_err(&path))?;
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
            let mut e: Entity = serde_json::from_str(&line).map_err(|err| StoreError::Corrupt {
                path: path.clone(),
                message: format!("line {}: {err}", i + 1),
            })?;
            if let Some(p) = e.provenance.as_mut() {
                p.version = Some(version_label.clone());
            }
            out.push(e);
        }
        let hash = hex::encode(hasher.finalize());
        if hash != manifest.hash || out.len() != manifest.entities {
            return Err(StoreError::Corrupt {
                path,
                message: format!(
                    "content hash {hash} / {} entities does not match the manifest ({} / {})",
                    out.len(),
                    manifest.hash,
                    manifest.entities
                ),
            });
        }
        Ok(out)
    }

    /// Loads the current version of a list.
    pub fn load_current(&self, list: &str) -> Result<(Manifest, Vec<Entity>), StoreError> {
        let m = self.current(list)?;
        let entities = self.load(list, m.version)?;
        Ok((m, entities))
    }

    fn lock(&self, list: &str) -> Result<File, StoreError> {
        let dir = self.list_dir(list)?;
        fs::create_dir_all(dir.join("versions")).map_err(io_err(&dir))?;
        let path = dir.join(".lock");
        let f = File::create(&path).map_err(io_err(&path))?;
        f.lock().map_err(io_err(&path))?;
        Ok(f)
    }

    /// Stores a parsed list as a new version and makes it current, all or nothing.
    ///
    /// Refuses an empty list or one that lost more than [`MAX_SHRINK`] of the current
    /// version's entities unless `force`. A list equal to the current version is not stored
    /// again ([`Commit::Unchanged`]).
    pub fn commit(
        &self,
        list: &str,
        format: &str,
        parsed: &ParsedList,
        sources: Vec<SourceFile>,
        force: bool,
    ) -> Result<Commit, StoreError> {
        let _lock = self.lock(list)?;
        let dir = self.list_dir(list)?;
        let versions_dir = dir.join("versions");
        self.clean_temporaries(&versions_dir)?;
        let (lines, hash) = canonical_lines(&parsed.entities);
        let current = match self.current_version(list)? {
            Some(v) => Some(self.manifest(list, v)?),
            None => None,
        };
        if let Some(cur) = &current {
            if cur.hash == hash {
                return Ok(Commit::Unchanged(cur.clone()));
            }
            let floor = (cur.entities as f64) * (1.0 - MAX_SHRINK);
            if !force && (parsed.entities.len() as f64) < floor {
                return Err(StoreError::Shrink {
                    list: list.to_string(),
                    current: cur.entities,
                    new: parsed.entities.len(),
                });
            }
        }
        if parsed.entities.is_empty() && !force {
            return Err(StoreError::Empty(list.to_string()));
        }
        let version = self.versions(list)?.last().copied().unwrap_or(0) + 1;
        let manifest = Manifest {
            list: list.to_string(),
            version,
            hash,
            imported_at: jiff::Timestamp::now().to_string(),
            format: format.to_string(),
            entities: parsed.entities.len(),
            records: parsed.records,
            by_schema: count_by_schema(&parsed.entities),
            sources,
            warnings: parsed.warnings.clone(),
            engine: env!("CARGO_PKG_VERSION").to_string(),
        };
        // 1. Write the version under a temporary name, durably.
        let tmp = versions_dir.join(format!(".tmp-{}-{version}", std::process::id()));
        fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
        write_synced(&tmp.join(ENTITIES), &lines)?;
        let manifest_json =
            serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Corrupt {
                path: tmp.join(MANIFEST),
                message: e.to_string(),
            })?;
        write_synced(&tmp.join(MANIFEST), &manifest_json)?;
        sync_dir(&tmp)?;
        // 2. Move it into place: from here on it is a complete, immutable version.
        let final_dir = versions_dir.join(version.to_string());
        fs::rename(&tmp, &final_dir).map_err(io_err(&final_dir))?;
        sync_dir(&versions_dir)?;
        // 3. Switch the current pointer atomically.
        self.set_current(&dir, version)?;
        Ok(Commit::Created(manifest))
    }

    fn set_current(&self, dir: &Path, version: u64) -> Result<(), StoreError> {
        let tmp = dir.join(format!("{CURRENT}.tmp"));
        write_synced(&tmp, format!("{version}\n").as_bytes())?;
        let path = dir.join(CURRENT);
        fs::rename(&tmp, &path).map_err(io_err(&path))?;
        sync_dir(dir)
    }

    /// Removes what an interrupted import left behind (called under the list lock).
    fn clean_temporaries(&self, versions_dir: &Path) -> Result<(), StoreError> {
        for entry in fs::read_dir(versions_dir).map_err(io_err(versions_dir))? {
            let entry = entry.map_err(io_err(versions_dir))?;
            if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                let p = entry.path();
                fs::remove_dir_all(&p).map_err(io_err(&p))?;
            }
        }
        Ok(())
    }

    /// Makes the version before the current one current again; returns its manifest.
    pub fn rollback(&self, list: &str) -> Result<Manifest, StoreError> {
        let _lock = self.lock(list)?;
        let current = self
            .current_version(list)?
            .ok_or_else(|| StoreError::UnknownList(list.to_string()))?;
        let previous = self
            .versions(list)?
            .into_iter()
            .filter(|v| *v < current)
            .max()
            .ok_or_else(|| StoreError::NoPrevious(list.to_string()))?;
        let manifest = self.manifest(list, previous)?;
        self.set_current(&self.list_dir(list)?, previous)?;
        Ok(manifest)
    }

    /// Compares two versions of a list (default: the one before current, and current).
    pub fn diff(&self, list: &str, from: Option<u64>, to: Option<u64>) -> Result<Diff, StoreError> {
        let to = match to {
            Some(v) => v,
            None => self
                .current_version(list)?
                .ok_or_else(|| StoreError::UnknownList(list.to_string()))?,
        };
        let from = match from {
            Some(v) => v,
            None => self
                .versions(list)?
                .into_iter()
                .filter(|v| *v < to)
                .max()
                .ok_or_else(|| StoreError::NoPrevious(list.to_string()))?,
        };
        let old: HashMap<String, Entity> = self
            .load(list, from)?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let new = self.load(list, to)?;
        let new_ids: BTreeSet<&str> = new.iter().map(|e| e.id.as_str()).collect();
        let mut added = Vec::new();
        let mut changed = Vec::new();
        for e in &new {
            match old.get(&e.id) {
                None => added.push(e.id.clone()),
                Some(o) => {
                    let fields = changed_fields(o, e);
                    if !fields.is_empty() {
                        changed.push(Changed {
                            id: e.id.clone(),
                            fields,
                        });
                    }
                }
            }
        }
        let mut removed: Vec<String> = old
            .keys()
            .filter(|id| !new_ids.contains(id.as_str()))
            .cloned()
            .collect();
        added.sort();
        removed.sort();
        changed.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Diff {
            list: list.to_string(),
            from,
            to,
            added,
            removed,
            changed,
        })
    }

    /// Finds an entity by id in the current versions of all lists.
    pub fn find_entity(&self, id: &str) -> Result<Option<(Manifest, Entity)>, StoreError> {
        for list in self.lists()? {
            let (m, entities) = self.load_current(&list)?;
            if let Some(e) = entities.into_iter().find(|e| e.id == id) {
                return Ok(Some((m, e)));
            }
        }
        Ok(None)
    }
}

/// The fields in which two records of one entity differ.
fn changed_fields(old: &Entity, new: &Entity) -> Vec<String> {
    let mut fields = Vec::new();
    if old.schema != new.schema {
        fields.push("schema".to_string());
    }
    let mut od = old.datasets.clone();
    let mut nd = new.datasets.clone();
    od.sort();
    nd.sort();
    if od != nd {
        fields.push("datasets".to_string());
    }
    let names: BTreeSet<&String> = old.properties.keys().chain(new.properties.keys()).collect();
    for name in names {
        if old.properties.get(name) != new.properties.get(name) {
            fields.push(name.clone());
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use dualtrace_model::{Property, Schema};

    fn list(n: usize, tag: &str) -> ParsedList {
        let entities = (0..n)
            .map(|i| {
                let mut e =
                    Entity::new(format!("t-{i}"), Schema::Company).with_source("t", i.to_string());
                e.add(Property::Name, &format!("Company {i} {tag}")).ok();
                e
            })
            .collect();
        ParsedList {
            entities,
            records: n,
            warnings: Vec::new(),
        }
    }

    fn created(c: Result<Commit, StoreError>) -> Manifest {
        match c {
            Ok(Commit::Created(m)) => m,
            other => panic!("expected a new version, got {other:?}"),
        }
    }

    #[test]
    fn versions_hash_rollback_and_diff() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let v1 = created(store.commit("t", "test", &list(10, "a"), vec![], false));
        assert_eq!(v1.version, 1);
        // Same content: same hash, no new version.
        match store.commit("t", "test", &list(10, "a"), vec![], false) {
            Ok(Commit::Unchanged(m)) => assert_eq!(m.hash, v1.hash),
            other => panic!("{other:?}"),
        }
        let mut l2 = list(11, "a");
        l2.entities[3].add(Property::Alias, "Changed").ok();
        let v2 = created(store.commit("t", "test", &l2, vec![], false));
        assert_eq!(v2.version, 2);
        assert_ne!(v2.hash, v1.hash);
        let diff = store.diff("t", None, None).expect("diff");
        assert_eq!(diff.added, ["t-10"]);
        assert!(diff.removed.is_empty());
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(diff.changed[0].fields, ["alias"]);
        // Loading stamps the version into provenance and verifies the hash.
        let (m, es) = store.load_current("t").expect("load");
        assert_eq!(m.version, 2);
        assert_eq!(
            es[0].provenance.as_ref().and_then(|p| p.version.as_deref()),
            Some("2")
        );
        assert_eq!(store.rollback("t").expect("rollback").version, 1);
        assert_eq!(store.current_version("t").expect("cur"), Some(1));
        assert!(matches!(
            store.rollback("t"),
            Err(StoreError::NoPrevious(_))
        ));
    }

    #[test]
    fn shrinking_and_empty_lists_are_refused_unless_forced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        assert!(matches!(
            store.commit("t", "test", &list(0, "a"), vec![], false),
            Err(StoreError::Empty(_))
        ));
        created(store.commit("t", "test", &list(100, "a"), vec![], false));
        // 80 of 100 is allowed (exactly 20% lost), 79 is not.
        assert!(matches!(
            store.commit("t", "test", &list(79, "a"), vec![], false),
            Err(StoreError::Shrink {
                current: 100,
                new: 79,
                ..
            })
        ));
        assert_eq!(store.current_version("t").expect("cur"), Some(1));
        created(store.commit("t", "test", &list(80, "a"), vec![], false));
        created(store.commit("t", "test", &list(10, "a"), vec![], true));
    }

    #[test]
    fn leftovers_of_an_interrupted_import_are_ignored_and_cleaned() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        created(store.commit("t", "test", &list(5, "a"), vec![], false));
        let junk = dir.path().join("lists/t/versions/.tmp-999-2");
        fs::create_dir_all(&junk).expect("mkdir");
        fs::write(junk.join(ENTITIES), b"{half").expect("write");
        assert_eq!(store.versions("t").expect("versions"), [1]);
        assert_eq!(store.load_current("t").expect("load").1.len(), 5);
        created(store.commit("t", "test", &list(6, "a"), vec![], false));
        assert!(!junk.exists());
    }

    #[test]
    fn tampered_versions_are_detected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        created(store.commit("t", "test", &list(5, "a"), vec![], false));
        let path = dir.path().join("lists/t/versions/1").join(ENTITIES);
        let text = fs::read_to_string(&path)
            .expect("read")
            .replace("Company 1 a", "Company 1 b");
        fs::write(&path, text).expect("write");
        assert!(matches!(
            store.load("t", 1),
            Err(StoreError::Corrupt { .. })
        ));
    }

    #[test]
    fn bad_names_are_rejected() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        for bad in ["", "../x", "a/b", "-x"] {
            assert!(matches!(
                store.current_version(bad),
                Err(StoreError::BadName(_))
            ));
        }
    }
}
