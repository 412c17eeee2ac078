:dep gmcourse = { path = "../gmcourse" }
:dep exercises = { path = "../exercises" }
use gmcourse::prelude::*;
