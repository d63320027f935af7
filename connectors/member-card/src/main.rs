fn main() -> anyhow::Result<()> {
    connector_contract::shared::service::main(
        "member-card",
        "payserver member-card: member stored value and count cards (connector and members API)",
        member_card::Application::build,
    )
}
