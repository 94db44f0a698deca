use super::*;
use serde_json::json;

fn command(kind: &str, template: Option<usize>, parameters: &[(&str, &str)]) -> StackCommand {
    StackCommand {
        at: At {
            chapter: 0,
            block: 0,
            command: 0,
        },
        head: 0..0,
        kind: kind.to_string(),
        stack: "s".to_string(),
        region: "us-east-1".to_string(),
        template,
        template_word: None,
        previous_template: false,
        role_arn: None,
        parameters: parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        parameter_words: BTreeMap::new(),
        previous: BTreeSet::new(),
        overrides_opaque: false,
        unknown: None,
        tags: None,
        capabilities: Some(Vec::new()),
        missing: None,
        protection: None,
        failed_only: None,
    }
}

/// One way whose steps are `commands` in order, one variant each.
fn run(commands: &[StackCommand], templates: &[&Value]) -> Vec<Op> {
    let steps: Vec<Step> = (0..commands.len()).map(|i| vec![(None, vec![i])]).collect();
    let ways: Vec<Way> = vec![("w", &["p"], steps)];
    events(&ways, commands, templates)
        .into_iter()
        .map(|e| e.op)
        .collect()
}

fn values(op: &Op) -> &BTreeMap<String, String> {
    match op {
        Op::Create(s) | Op::Update { after: s, .. } => &s.parameters,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deploy_keeps_the_previous_value_of_what_it_does_not_override() {
    let first = json!({"Parameters": {"A": {"Default": "1"}, "B": {"Default": "1"}}});
    let second = json!({"Parameters": {"A": {"Default": "2"}, "B": {}, "C": {"Default": "3"}}});
    let templates = [&first, &second];
    let ops = run(
        &[
            command("deploy", Some(0), &[]),
            command("deploy", Some(1), &[]),
            command("deploy", Some(1), &[("B", "2")]),
            command("deploy", Some(0), &[]),
        ],
        &templates,
    );
    assert!(matches!(ops[0], Op::Create(_)));
    // A changed default keeps the previous value; a parameter new to the
    // stack takes its default.
    assert_eq!(
        values(&ops[1]),
        &BTreeMap::from([
            ("A".into(), "1".into()),
            ("B".into(), "1".into()),
            ("C".into(), "3".into())
        ])
    );
    let Op::Update { before, after } = &ops[2] else {
        panic!("{:?}", ops[2]);
    };
    assert_eq!(
        after.changed_from(before),
        BTreeSet::from(["B".to_string()])
    );
    assert_eq!(values(&ops[3])["B"], "2");
}

#[test]
fn the_api_commands_keep_only_what_they_mark_and_else_take_the_default() {
    let template = json!({"Parameters": {"A": {"Default": "1"}, "B": {"Default": "1"}}});
    let mut update = command("update", None, &[]);
    update.previous_template = true;
    update.previous.insert("A".into());
    let ops = run(
        &[
            command("create", Some(0), &[("A", "5"), ("B", "5")]),
            update,
        ],
        &[&template],
    );
    let Op::Update { before, after } = &ops[1] else {
        panic!("{:?}", ops[1]);
    };
    assert_eq!(before.template, after.template);
    assert_eq!(after.parameters["A"], "5");
    assert_eq!(after.parameters["B"], "1");
}

#[test]
fn a_create_without_a_required_value_is_refused_and_leaves_no_stack() {
    let template = json!({"Parameters": {"VpcId": {"Type": "String"}, "Port": {"Default": 80}}});
    let ops = run(
        &[
            command("deploy", Some(0), &[]),
            command("deploy", Some(0), &[("VpcId", "$VPC_ID")]),
        ],
        &[&template],
    );
    let Op::Refused { why, .. } = &ops[0] else {
        panic!("{:?}", ops[0]);
    };
    assert_eq!(
        why,
        "CloudFormation refuses to create the stack `s`: the parameter `VpcId` has no default value and this command gives it none (`Parameters: [VpcId] must have values`)"
    );
    // The next deploy still creates the stack.
    assert!(matches!(ops[1], Op::Create(_)), "{:?}", ops[1]);
    // Values from a file are values: nothing is refused.
    let mut opaque = command("deploy", Some(0), &[]);
    opaque.overrides_opaque = true;
    assert!(matches!(run(&[opaque], &[&template])[0], Op::Create(_)));
}

#[test]
fn creating_an_existing_stack_or_updating_a_missing_one_is_refused() {
    let template = json!({});
    let ops = run(
        &[
            command("update", Some(0), &[]),
            command("create", Some(0), &[]),
            command("create", Some(0), &[]),
            command("delete", None, &[]),
            command("delete", None, &[]),
        ],
        &[&template],
    );
    let whys: Vec<&str> = ops
        .iter()
        .map(|op| match op {
            Op::Refused { why, .. } => why.as_str(),
            Op::Create(_) => "create",
            Op::Delete(_) => "delete",
            Op::Update { .. } => "update",
        })
        .collect();
    // Deleting a stack that is gone does nothing.
    assert_eq!(
        whys,
        [
            "CloudFormation refuses to update the stack `s`: no command before this one creates it (`Stack with id s does not exist`)",
            "create",
            "CloudFormation refuses to create the stack `s`: a command before this one made it (`AlreadyExistsException`)",
            "delete",
        ]
    );
}

#[test]
fn the_stack_keeps_its_role_and_tags_until_a_command_gives_others() {
    let template = json!({});
    let mut first = command("deploy", Some(0), &[]);
    first.role_arn = Some("arn:aws:iam::111122223333:role/cfn".into());
    first.tags = Some("Owner=me".into());
    let mut retag = command("deploy", Some(0), &[]);
    retag.tags = Some("Owner=you".into());
    let ops = run(
        &[
            first,
            command("deploy", Some(0), &[]),
            retag,
            command("delete", None, &[]),
        ],
        &[&template],
    );
    let states: Vec<(Option<&str>, &str)> = ops
        .iter()
        .map(|op| match op {
            Op::Create(s) | Op::Update { after: s, .. } | Op::Delete(s) => {
                (s.role.as_deref(), s.tags.as_str())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let role = Some("arn:aws:iam::111122223333:role/cfn");
    assert_eq!(
        states,
        [
            (role, "Owner=me"),
            (role, "Owner=me"),
            (role, "Owner=you"),
            (role, "Owner=you")
        ]
    );
}

#[test]
fn each_architecture_follows_its_own_variants() {
    let template = json!({"Parameters": {"Image": {"Type": "String"}}});
    let commands = [
        command("deploy", Some(0), &[("Image", "x-amd64")]),
        command("deploy", Some(0), &[("Image", "x-arm64")]),
        command("deploy", Some(0), &[("Image", "y-amd64")]),
        command("deploy", Some(0), &[("Image", "y-arm64")]),
    ];
    let arch = |a: &str, i: usize| (Some(a.to_string()), vec![i]);
    let steps = vec![
        vec![arch("amd64", 0), arch("arm64", 1)],
        vec![arch("amd64", 2), arch("arm64", 3)],
    ];
    let ways: Vec<Way> = vec![("w", &["p"], steps)];
    let changes: Vec<(String, String)> = events(&ways, &commands, &[&template])
        .into_iter()
        .filter_map(|e| match e.op {
            Op::Update { before, after } => Some((
                before.parameters["Image"].clone(),
                after.parameters["Image"].clone(),
            )),
            _ => None,
        })
        .collect();
    // No reader deploys one architecture over the other.
    assert_eq!(
        changes,
        [
            ("x-amd64".to_string(), "y-amd64".to_string()),
            ("x-arm64".to_string(), "y-arm64".to_string())
        ]
    );
}

#[test]
fn values_outside_a_parameters_bounds_are_refused_and_values_inside_pass() {
    let template = json!({"Parameters": {
        "Count": {"Type": "Number", "MinValue": 1, "MaxValue": "2"},
        "Name": {"Type": "String", "MinLength": 2, "MaxLength": 4, "Default": "ab"},
        "Ids": {"Type": "CommaDelimitedList", "Default": "a"}
    }});
    let why = |parameters: &[(&str, &str)]| -> Option<String> {
        match &run(&[command("deploy", Some(0), parameters)], &[&template])[0] {
            Op::Refused { why, .. } => Some(why.clone()),
            _ => None,
        }
    };
    let refused = "CloudFormation refuses to create the stack `s`: the parameter";
    assert_eq!(
        why(&[("Count", "3")]).as_deref(),
        Some(format!("{refused} `Count` is `3`, whose value 3 is outside its MaxValue 2").as_str())
    );
    assert_eq!(
        why(&[("Count", "0.5")]).as_deref(),
        Some(
            format!("{refused} `Count` is `0.5`, whose value 0.5 is outside its MinValue 1")
                .as_str()
        )
    );
    assert_eq!(
        why(&[("Count", "two")]).as_deref(),
        Some(
            format!("{refused} `Count` is `two`, which is not a number, and its Type is `Number`")
                .as_str()
        )
    );
    assert_eq!(
        why(&[("Count", "1"), ("Name", "abcde")]).as_deref(),
        Some(
            format!("{refused} `Name` is `abcde`, whose length 5 is outside its MaxLength 4")
                .as_str()
        )
    );
    // Inside the bounds, at them, a list's items and a value the shell
    // alone knows: nothing to refuse.
    for ok in [
        &[("Count", "2"), ("Name", "abcd")][..],
        &[("Count", "1"), ("Ids", "a,b,c,d,e,f")],
        &[("Count", "$COUNT"), ("Name", "${NAME}")],
    ] {
        assert_eq!(why(ok), None, "{ok:?}");
    }
}
