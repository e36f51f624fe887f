//! Prints the score and explanation of two names: `cargo run -p dualtrace-matching --example
//! explain_pair -- "Serei Lavrov" "Sergei Lavrov"`.
use dualtrace_matching::score_pair;
use dualtrace_model::{Entity, Property, Schema};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        eprintln!("usage: explain_pair NAME NAME");
        return;
    };
    let person = |id: &str, n: &str| {
        let mut e = Entity::new(id, Schema::Person);
        e.add(Property::Name, n).ok();
        e
    };
    let r = score_pair(&person("a", a), &person("b", b));
    println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
    for n in [a, b] {
        let an = dualtrace_names::analyze(n, dualtrace_names::NameKind::Person);
        println!("{n}: {:?} {:?}", an.latin, an.phonetic);
    }
}
