struct : { ( ) < > , ; } ;
