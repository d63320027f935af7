fn main() -> anyhow::Result<()> {
    connector_contract::shared::service::main(
        "alipay",
        "payserver alipay connector: Alipay barcode pay behind the connector contract",
        alipay::Application::build,
    )
}
