//! Local stand-ins of the WeChat Pay (API v2) and Alipay (open API) servers. They answer the
//! real endpoints with the real shapes, codes and signatures, and choose their behaviour by
//! the scanned payment code, so development, tests and the one-process run can exercise every
//! branch without the internet.

pub mod alipay;
pub mod journal;
pub mod wechat;
