//! SQL assembled piece by piece with its arguments, numbering placeholders `$1`, `$2`…
//! as values are bound. (sqlx's `QueryBuilder` writes `?` for every bind on the Any
//! driver, which Postgres does not read.)

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

#[derive(Default)]
pub struct NumberedSql {
    text: String,
    args: AnyArguments<'static>,
}

impl NumberedSql {
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    /// Appends the next placeholder and binds `value` to it.
    pub fn bind<T>(&mut self, value: T) -> Result<&mut Self, sqlx::Error>
    where
        T: 'static + Encode<'static, Any> + Type<Any>,
    {
        self.args.add(value).map_err(sqlx::Error::Encode)?;
        self.text.push_str(&format!("${}", self.args.len()));
        Ok(self)
    }

    pub fn into_parts(self) -> (String, AnyArguments<'static>) {
        (self.text, self.args)
    }
}
