//! Writes N IAM policies (a deterministic mix of valid and faulty ones, both
//! kinds) into a folder, for the policy-lint benchmark:
//! `gen-policies DIR [N]` (N defaults to 1,000).

use std::path::PathBuf;

const ACTIONS: &[&str] = &[
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "ecs:DescribeClusters",
    "ecs:ListTasks",
    "sts:GetCallerIdentity",
    "aws-marketplace:RegisterUsage",
    "aws-marketplace:MeterUsage",
];

/// A small linear congruential generator: the same files on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }
}

fn identity(rng: &mut Lcg, i: usize) -> String {
    let mut statements = Vec::new();
    for s in 0..1 + rng.next(4) {
        let count = 1 + rng.next(4);
        let actions: Vec<String> = (0..count)
            .map(|_| format!("\"{}\"", ACTIONS[rng.next(ACTIONS.len())]))
            .collect();
        let resource = if rng.next(2) == 0 {
            "\"*\"".to_string()
        } else {
            format!("\"arn:aws:logs:us-east-1:111122223333:log-group:/ecs/task-{i}:*\"")
        };
        statements.push(format!(
            "    {{\n      \"Sid\": \"Statement{s}\",\n      \"Effect\": \"Allow\",\n      \"Action\": [{}],\n      \"Resource\": {resource}\n    }}",
            actions.join(", ")
        ));
    }
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        statements.join(",\n")
    )
}

fn trust(rng: &mut Lcg) -> String {
    let condition = if rng.next(3) == 0 {
        String::new()
    } else {
        ",\n      \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"111122223333\"}}"
            .to_string()
    };
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{\"Service\": \"ecs-tasks.amazonaws.com\"}},\n      \"Action\": \"sts:AssumeRole\"{condition}\n    }}\n  ]\n}}\n"
    )
}

/// One fault, so each rule's path runs in the benchmark.
fn faulty(rng: &mut Lcg, i: usize) -> String {
    let valid = identity(rng, i);
    match rng.next(6) {
        0 => valid.replacen(
            "\"Action\": [",
            "\"Action\": [\"ecr:GetAuthorisationToken\", ",
            1,
        ),
        1 => valid.replacen("\"Allow\"", "\"Permit\"", 1),
        2 => valid.replacen("\"Version\"", "\"Versoin\"", 1),
        3 => valid
            .replacen("logs:", "log:", 1)
            .replacen("ecr:", "ecrr:", 1),
        4 => valid.replacen("]\n}", "],\n}", 1),
        _ => valid.replacen("\"Action\": [", "\"Action\": [\"*\", ", 1),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen-policies DIR [N]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    std::fs::create_dir_all(&dir).expect("cannot create the output folder");
    let mut rng = Lcg(0x5eed);
    for i in 0..n {
        let (name, text) = match i % 4 {
            0 | 1 => (format!("policy-{i:04}.json"), identity(&mut rng, i)),
            2 => (format!("role-{i:04}-trust.json"), trust(&mut rng)),
            _ => (format!("faulty-{i:04}.json"), faulty(&mut rng, i)),
        };
        std::fs::write(dir.join(name), text).expect("cannot write a policy");
    }
    println!("{n} policies written to {}", dir.display());
}
