fn main() -> anyhow::Result<()> {
    connector_contract::shared::service::main(
        "wechat",
        "payserver wechat connector: WeChat Pay barcode-scanner pay (micropay)",
        wechat::Application::build,
    )
}
