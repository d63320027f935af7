fn main() -> anyhow::Result<()> {
    connector_contract::shared::service::main(
        "sign-account",
        "payserver sign-account: the 挂账 connector and its management API",
        sign_account::Application::build,
    )
}
