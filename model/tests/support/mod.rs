//! A small shop schema used by the op tests.

#![allow(dead_code)] // each test file uses a different part of the fixture

use model::{Column, Diagram, Index, Note, Relationship, Table, Uuid};

pub struct Shop {
    pub doc: Diagram,
    pub users: Uuid,
    pub orders: Uuid,
    pub user_id: Uuid,
    pub order_user: Uuid,
    pub order_total: Uuid,
    pub fk: Uuid,
    pub index: Uuid,
    pub note: Uuid,
}

pub fn shop() -> Shop {
    let doc = Diagram::new("Shop");
    let mut users = Table::new("users");
    users.logical_name = "Users".into();
    users.columns.push(Column::new("email", "varchar(255)"));
    let user_id = users.columns[0].id;
    let mut orders = Table::new("orders");
    orders.x = 300.0;
    let order_user = Column::new("user_id", "bigint");
    let order_total = Column::new("total", "numeric(10,2)");
    let (order_user_id, order_total_id) = (order_user.id, order_total.id);
    orders.columns.extend([order_user, order_total]);
    let index = Index {
        id: Uuid::new_v4(),
        name: "orders_user_total".into(),
        columns: vec![order_user_id, order_total_id],
        unique: false,
        ..Default::default()
    };
    let index_id = index.id;
    orders.indexes.push(index);
    let rel = Relationship::new((orders.id, vec![order_user_id]), (users.id, vec![user_id]));
    let note = Note::new("Money in cents", 10.0, 400.0);
    let s = Shop {
        users: users.id,
        orders: orders.id,
        user_id,
        order_user: order_user_id,
        order_total: order_total_id,
        fk: rel.id,
        index: index_id,
        note: note.id,
        doc: Diagram {
            tables: vec![users, orders],
            relationships: vec![rel],
            notes: vec![note],
            ..doc.clone()
        },
    };
    doc.validate().expect("empty diagram is valid");
    s.doc.validate().expect("fixture is valid");
    s
}
